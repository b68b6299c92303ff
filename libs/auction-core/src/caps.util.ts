import Decimal from 'decimal.js';
import { compareMoney, parseMoney } from './money.util';
import {
  earliestInstantOfWall,
  HOUR_MS,
  latestInstantOfWallNotAfter,
  localParts,
  MINUTE_MS,
} from './time-zone.util';
import { Cap, CAP_PERIODS, CapPeriod, CapUsage } from './types';

type TimedPeriod = Exclude<CapPeriod, 'TOTAL'>;

interface Interval {
  start: number;
  end: number;
}

/**
 * Per zone, the last computed [start, end) of each period. A hit is any instant inside the
 * interval, so a DAY costs a handful of Intl calls once a day per zone, whatever the offset.
 */
const intervals = new Map<string, Partial<Record<TimedPeriod, Interval>>>();
const MAX_ZONES = 1_000;

function wall(year: number, month: number, day: number, hour = 0): number {
  // Date.UTC normalises overflow (day 32, month 13), which handles month and year ends.
  return Date.UTC(year, month - 1, day, hour, 0);
}

function hourStart(epochMs: number, timezone: string): number {
  const p = localParts(new Date(epochMs), timezone);
  return latestInstantOfWallNotAfter(wall(p.year, p.month, p.day, p.hour), timezone, epochMs);
}

/** The first minute (binary search over the last two hours) at which the local date and hour were as now. */
/**
 * The first instant of the unbroken stretch of local time, in the same local hour, that `epochMs` is
 * in. Only used at DST edges, where a local hour can begin at a jump (Chatham springs 02:45 → 03:45,
 * and falls back 03:45 → 02:45, so its local 02 comes back at 02:45 for a quarter hour): it walks back
 * a minute at a time (zone changes fall on whole minutes), since the same hour may also lie just
 * before a gap, which a bisection would wrongly join.
 */
function firstInstantOfLocalHour(epochMs: number, timezone: string): number {
  const here = localParts(new Date(epochMs), timezone);
  const same = (ms: number) => {
    const a = localParts(new Date(ms), timezone);
    return a.year === here.year && a.month === here.month && a.day === here.day && a.hour === here.hour;
  };
  let first = Math.floor(epochMs / MINUTE_MS);
  for (let i = 0; i < 120 && same((first - 1) * MINUTE_MS); i++) first--;
  return first * MINUTE_MS;
}

/**
 * When the local hour that began at `start` ends: normally an hour later, on while DST makes it
 * longer — or earlier, at a fall-back inside it (Chatham's local 03 ends at 03:45, when the clock
 * goes back to 02:45), so that intervals tile time and a cached one never claims another's instants.
 */
function hourAfter(start: number, timezone: string): number {
  let end = start + HOUR_MS;
  for (let i = 0; i < 8; i++) {
    const next = hourStart(end, timezone);
    if (next > start) {
      end = next;
      break;
    }
    end += 15 * MINUTE_MS;
  }
  const hourOf = (ms: number) => {
    const p = localParts(new Date(ms), timezone);
    return `${p.year}-${p.month}-${p.day}-${p.hour}`;
  };
  const hour = hourOf(start);
  for (let t = start + 15 * MINUTE_MS; t < end; t += 15 * MINUTE_MS) {
    if (hourOf(t) === hour) continue;
    let last = t - 15 * MINUTE_MS; // still in the hour; the change is within the next quarter
    while (hourOf(last + MINUTE_MS) === hour) last += MINUTE_MS;
    return last + MINUTE_MS;
  }
  return end;
}

function computeInterval(period: TimedPeriod, epochMs: number, timezone: string): Interval {
  const p = localParts(new Date(epochMs), timezone);
  switch (period) {
    case 'HOUR': {
      // A repeated (fall-back) hour is two periods; take the one we are in.
      let start = latestInstantOfWallNotAfter(wall(p.year, p.month, p.day, p.hour), timezone, epochMs);
      // Its HH:00 may not exist (spring-forward in a zone with a :45 or :30 offset, e.g. Chatham's
      // 02:45 → 03:45): then this local hour began at the jump itself.
      if (start > epochMs) start = firstInstantOfLocalHour(epochMs, timezone);
      let end = hourAfter(start, timezone);
      // Its HH:00 may also lie before a fall-back that ends inside this hour (Chatham 03:45 → 02:45):
      // the clock came back into the hour at the jump, and that stretch is a period of its own.
      if (end <= epochMs) {
        start = firstInstantOfLocalHour(epochMs, timezone);
        end = hourAfter(start, timezone);
      }
      return { start, end };
    }
    case 'DAY':
      return {
        start: earliestInstantOfWall(wall(p.year, p.month, p.day), timezone),
        end: earliestInstantOfWall(wall(p.year, p.month, p.day + 1), timezone),
      };
    case 'WEEK':
      return {
        start: earliestInstantOfWall(wall(p.year, p.month, p.day - p.weekday), timezone),
        end: earliestInstantOfWall(wall(p.year, p.month, p.day - p.weekday + 7), timezone),
      };
    case 'MONTH':
      return {
        start: earliestInstantOfWall(wall(p.year, p.month, 1), timezone),
        end: earliestInstantOfWall(wall(p.year, p.month + 1, 1), timezone),
      };
  }
}

function intervalAt(period: TimedPeriod, epochMs: number, timezone: string): Interval {
  let slots = intervals.get(timezone);
  const hit = slots?.[period];
  if (hit !== undefined && epochMs >= hit.start && epochMs < hit.end) return hit;
  const iv = computeInterval(period, epochMs, timezone);
  if (slots === undefined) {
    if (intervals.size >= MAX_ZONES) intervals.clear();
    intervals.set(timezone, (slots = {}));
  }
  slots[period] = iv;
  return iv;
}

function assertPeriod(period: CapPeriod): void {
  if (!(CAP_PERIODS as readonly string[]).includes(period)) throw new RangeError(`unknown cap period "${String(period)}"`);
}

/**
 * The instant the current cap period began, in the campaign's zone (UTC when none):
 * HOUR = local hour, DAY = local midnight, WEEK = local Monday 00:00, MONTH = local 1st 00:00,
 * TOTAL = epoch. A midnight skipped by DST starts the day at the end of the gap.
 */
export function capPeriodStart(period: CapPeriod, now: Date, timezone: string | null | undefined): Date {
  if (period === 'TOTAL') return new Date(0);
  assertPeriod(period);
  return new Date(intervalAt(period, now.getTime(), timezone || 'UTC').start);
}

/** The instant the current cap period ends (exclusive), e.g. for "cap full until"; null for TOTAL. */
export function capPeriodEnd(period: CapPeriod, now: Date, timezone: string | null | undefined): Date | null {
  if (period === 'TOTAL') return null;
  assertPeriod(period);
  return new Date(intervalAt(period, now.getTime(), timezone || 'UTC').end);
}

/** Whether one more sale at `price` fits: leads below maxLeads and spend + price within maxSpend. */
export function capAllows(cap: Cap, usage: CapUsage, price: Decimal): boolean {
  if (cap.maxLeads !== null && cap.maxLeads !== undefined && usage.leads >= cap.maxLeads) return false;
  if (cap.maxSpend !== null && cap.maxSpend !== undefined && compareMoney(usage.spend.plus(price), cap.maxSpend) > 0) return false;
  return true;
}

/**
 * Whether a cap has any room at all, for live-priced campaigns whose price is not yet known:
 * leads below maxLeads and spend strictly below maxSpend (a spent budget buys nothing).
 */
export function capHasRoom(cap: Cap, usage: CapUsage): boolean {
  if (cap.maxLeads !== null && cap.maxLeads !== undefined && usage.leads >= cap.maxLeads) return false;
  if (cap.maxSpend !== null && cap.maxSpend !== undefined && compareMoney(usage.spend, cap.maxSpend) >= 0) return false;
  return true;
}

const PERIOD_SET: ReadonlySet<string> = new Set(CAP_PERIODS);

function show(v: unknown): string {
  if (Decimal.isDecimal(v)) return (v as Decimal).toString();
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Problems with a campaign's caps, each naming the cap index; empty means valid. */
export function validateCaps(caps: unknown[]): string[] {
  if (!Array.isArray(caps)) return ['caps: must be an array'];
  const errors: string[] = [];
  const seen = new Set<string>();
  caps.forEach((cap: unknown, i) => {
    const at = `caps[${i}]`;
    if (typeof cap !== 'object' || cap === null || Array.isArray(cap)) {
      errors.push(`${at}: must be an object with period and maxLeads and/or maxSpend`);
      return;
    }
    const { period, maxLeads, maxSpend } = cap as Record<string, unknown>;
    if (typeof period !== 'string' || !PERIOD_SET.has(period)) {
      errors.push(`${at}.period: unknown period ${show(period)} (use ${CAP_PERIODS.join(', ')})`);
    } else if (seen.has(period)) {
      errors.push(`${at}.period: duplicate period ${period}`);
    } else {
      seen.add(period);
    }
    const hasLeads = maxLeads !== null && maxLeads !== undefined;
    const hasSpend = maxSpend !== null && maxSpend !== undefined;
    if (!hasLeads && !hasSpend) errors.push(`${at}: needs maxLeads or maxSpend`);
    if (hasLeads && !(Number.isSafeInteger(maxLeads) && (maxLeads as number) >= 0)) {
      errors.push(`${at}.maxLeads: ${show(maxLeads)} is not a whole number >= 0`);
    }
    if (hasSpend) {
      try {
        parseMoney(maxSpend);
      } catch {
        errors.push(`${at}.maxSpend: ${show(maxSpend)} is not a valid money amount like "500.00"`);
      }
    }
  });
  return errors;
}
