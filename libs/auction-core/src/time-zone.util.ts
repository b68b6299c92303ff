/** Wall-clock reading of an instant in a time zone. */
export interface LocalParts {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = MON … 6 = SUN, the order of WEEKDAYS. */
  weekday: number;
  hour: number;
  minute: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Caches only ever hold time zones campaigns use; the bound guards against junk input. */
const MAX_ZONES = 1_000;

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. null = invalid. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      f = null;
    }
    if (formatters.size >= MAX_ZONES) formatters.clear();
    formatters.set(timezone, f);
  }
  if (f === null) throw new RangeError(`unknown time zone "${timezone}"`);
  return f;
}

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(timezone: unknown): boolean {
  if (typeof timezone !== 'string' || timezone === '') return false;
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** Uncached Intl read; callers cache. */
export function computeLocalParts(epochMs: number, timezone: string): LocalParts {
  const parts = formatterFor(timezone).formatToParts(epochMs);
  const out: LocalParts = { year: 0, month: 0, day: 0, weekday: 0, hour: 0, minute: 0 };
  for (const p of parts) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      case 'weekday': out.weekday = WEEKDAY_INDEX[p.value] ?? 0; break;
      // Some ICU versions print midnight as 24 even with h23.
      case 'hour': out.hour = Number(p.value) % 24; break;
      case 'minute': out.minute = Number(p.value); break;
    }
  }
  return out;
}

/** Last computed reading per zone, keyed by UTC minute: every campaign in a zone shares one Intl call. */
const partsCache = new Map<string, { minute: number; parts: Readonly<LocalParts> }>();

/** Local calendar fields of `now` in `timezone` (minute precision); throws RangeError for an unknown zone. */
export function localParts(now: Date, timezone: string): Readonly<LocalParts> {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const hit = partsCache.get(timezone);
  if (hit !== undefined && hit.minute === minute) return hit.parts;
  if (minute !== minute) throw new RangeError('localParts: invalid date');
  const parts = Object.freeze(computeLocalParts(minute * MINUTE_MS, timezone));
  if (hit !== undefined) {
    hit.minute = minute;
    hit.parts = parts;
  } else {
    if (partsCache.size >= MAX_ZONES) partsCache.clear();
    partsCache.set(timezone, { minute, parts });
  }
  return parts;
}

/** Milliseconds to add to UTC to get wall-clock time in the zone at an instant (minute precision). */
export function offsetAt(epochMs: number, timezone: string): number {
  const minuteStart = Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
  const p = computeLocalParts(minuteStart, timezone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - minuteStart;
}

/**
 * The instant(s) at which the zone's clock shows a wall time (given as a UTC-encoded ms value).
 * Two in a fall-back overlap, none in a spring-forward gap. Assumes at most one offset change
 * within a day either side, which holds for every real zone.
 */
function instantsOfWall(wallMs: number, timezone: string): { valid: number[]; beforeGap: number } {
  const offBefore = offsetAt(wallMs - DAY_MS, timezone);
  const offAfter = offsetAt(wallMs + DAY_MS, timezone);
  const candidates = offBefore === offAfter ? [wallMs - offBefore] : [wallMs - offBefore, wallMs - offAfter];
  const valid = candidates.filter((t) => t + offsetAt(t, timezone) === wallMs).sort((a, b) => a - b);
  // In a gap, the old offset moves the missing wall time forward by the gap's length (Temporal's
  // "compatible"): a boundary at the very start of the gap lands on the transition instant.
  return { valid, beforeGap: wallMs - offBefore };
}

/** First instant showing the wall time; a wall time skipped by DST moves forward by the gap. */
export function earliestInstantOfWall(wallMs: number, timezone: string): number {
  const { valid, beforeGap } = instantsOfWall(wallMs, timezone);
  return valid.length > 0 ? valid[0] : beforeGap;
}

/** Latest instant showing the wall time that is not after `notAfter` (for hours repeated by DST). */
export function latestInstantOfWallNotAfter(wallMs: number, timezone: string, notAfter: number): number {
  const { valid, beforeGap } = instantsOfWall(wallMs, timezone);
  for (let i = valid.length - 1; i >= 0; i--) if (valid[i] <= notAfter) return valid[i];
  return valid.length > 0 ? valid[0] : beforeGap;
}
