import { isValidTimeZone, localParts, MINUTE_MS } from './time-zone.util';
import { Schedule, WEEKDAYS } from './types';

const MINUTES_PER_DAY = 1440;
const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKDAY_SET: ReadonlySet<string> = new Set(WEEKDAYS);

/** "HH:MM" → minute of day; "24:00" only where allowed (window ends). NaN when malformed. */
function minuteOfDay(hhmm: unknown, allow24: boolean): number {
  if (typeof hhmm !== 'string') return NaN;
  if (allow24 && hhmm === '24:00') return MINUTES_PER_DAY;
  const m = HHMM_RE.exec(hhmm);
  return m === null ? NaN : Number(m[1]) * 60 + Number(m[2]);
}

interface CompiledWindow {
  /** Bit d set when the window starts on weekday d (0 = MON). */
  days: number;
  start: number;
  end: number;
  /** end <= start: the window runs into the next day (start == end is a full 24 h). */
  overnight: boolean;
}

interface CompiledSchedule {
  valid: boolean;
  timezone: string;
  windows: CompiledWindow[];
  /** Answer for the last UTC minute asked, so one campaign pays once per minute. */
  lastMinute: number;
  lastOpen: boolean;
}

/** Schedules are immutable snapshot data: parse each object once. */
const compiled = new WeakMap<Schedule, CompiledSchedule>();

function compile(schedule: Schedule): CompiledSchedule {
  const valid = validateSchedule(schedule).length === 0;
  const windows: CompiledWindow[] = valid
    ? schedule.windows.map((w) => {
        const start = minuteOfDay(w.start, false);
        const end = minuteOfDay(w.end, true);
        let days = 0;
        for (const d of w.days) days |= 1 << WEEKDAYS.indexOf(d);
        return { days, start, end, overnight: end <= start };
      })
    : [];
  return { valid, timezone: valid ? schedule.timezone : '', windows, lastMinute: NaN, lastOpen: false };
}

function openAt(windows: CompiledWindow[], weekday: number, minute: number): boolean {
  const today = 1 << weekday;
  const yesterday = 1 << (weekday === 0 ? 6 : weekday - 1);
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    if (!w.overnight) {
      if ((w.days & today) !== 0 && minute >= w.start && minute < w.end) return true;
    } else {
      // Started today and not yet past midnight, or started yesterday and still running.
      if ((w.days & today) !== 0 && minute >= w.start) return true;
      if ((w.days & yesterday) !== 0 && minute < w.end) return true;
    }
  }
  return false;
}

/**
 * Whether a campaign takes leads at `now`; null/undefined = always open.
 * An invalid schedule is treated as closed: a broken schedule must not buy around the clock.
 */
export function isScheduleOpen(schedule: Schedule | null | undefined, now: Date): boolean {
  if (schedule === null || schedule === undefined) return true;
  let c = compiled.get(schedule);
  if (c === undefined) {
    c = compile(schedule);
    compiled.set(schedule, c);
  }
  if (!c.valid) return false;
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  if (minute === c.lastMinute) return c.lastOpen;
  const p = localParts(now, c.timezone);
  const open = openAt(c.windows, p.weekday, p.hour * 60 + p.minute);
  c.lastMinute = minute;
  c.lastOpen = open;
  return open;
}

/** Problems with a schedule, each naming the path; empty means valid. */
export function validateSchedule(s: unknown): string[] {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return ['schedule: must be an object with timezone and windows'];
  const errors: string[] = [];
  const { timezone, windows } = s as Record<string, unknown>;
  if (typeof timezone !== 'string' || timezone === '') {
    errors.push('schedule.timezone: must be an IANA time zone such as "America/New_York"');
  } else if (!isValidTimeZone(timezone)) {
    errors.push(`schedule.timezone: unknown time zone "${timezone}"`);
  }
  if (!Array.isArray(windows) || windows.length === 0) {
    errors.push('schedule.windows: must have at least one window');
    return errors;
  }
  windows.forEach((w: unknown, i) => {
    const at = `schedule.windows[${i}]`;
    if (typeof w !== 'object' || w === null || Array.isArray(w)) {
      errors.push(`${at}: must be an object with days, start and end`);
      return;
    }
    const { days, start, end } = w as Record<string, unknown>;
    if (!Array.isArray(days) || days.length === 0) {
      errors.push(`${at}.days: must have at least one day`);
    } else {
      days.forEach((d: unknown, j) => {
        if (typeof d !== 'string' || !WEEKDAY_SET.has(d)) {
          errors.push(`${at}.days[${j}]: unknown weekday ${JSON.stringify(d) ?? String(d)} (use ${WEEKDAYS.join(', ')})`);
        }
      });
    }
    if (Number.isNaN(minuteOfDay(start, false))) {
      errors.push(`${at}.start: ${JSON.stringify(start) ?? String(start)} is not a time HH:MM between 00:00 and 23:59`);
    }
    if (Number.isNaN(minuteOfDay(end, true))) {
      errors.push(`${at}.end: ${JSON.stringify(end) ?? String(end)} is not a time HH:MM between 00:00 and 24:00`);
    }
  });
  return errors;
}
