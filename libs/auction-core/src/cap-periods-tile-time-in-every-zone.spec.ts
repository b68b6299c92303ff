import fc from 'fast-check';
import { capPeriodEnd, capPeriodStart } from './caps.util';
import { DAY_MS, HOUR_MS, localParts, MINUTE_MS, offsetAt } from './time-zone.util';

/** Zones with DST at midnight, half/quarter-hour offsets, 30-minute DST and southern-hemisphere DST. */
const ZONES = [
  'UTC', 'America/New_York', 'America/Los_Angeles', 'America/Santiago', 'America/Havana', 'America/St_Johns',
  'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'Asia/Tehran',
];
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2030, 0, 1);

const dateOf = (ms: number, tz: string) => {
  const p = localParts(new Date(ms), tz);
  return `${p.year}-${p.month}-${p.day}`;
};

/** Days on which a zone's offset changes, so half the samples land within a day and a half of one. */
function offsetChanges(): { tz: string; at: number }[] {
  const out: { tz: string; at: number }[] = [];
  for (const tz of ZONES) {
    let prev = offsetAt(FROM, tz);
    for (let t = FROM + DAY_MS; t <= TO; t += DAY_MS) {
      const off = offsetAt(t, tz);
      if (off !== prev) out.push({ tz, at: t });
      prev = off;
    }
  }
  return out;
}

describe('cap periods tile time with no gap or overlap, in every zone', () => {
  const changes = offsetChanges();
  const uniform = fc.tuple(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES));
  const nearChange = fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -36 * HOUR_MS, max: 36 * HOUR_MS }))
    .map(([c, d]): [number, string] => [c.at + d, c.tz]);
  const sample = fc.oneof(uniform, nearChange);

  it('finds the DST changes it samples around', () => {
    expect(changes.filter((c) => c.tz === 'America/New_York')).toHaveLength(12);
    expect(changes.filter((c) => c.tz === 'Asia/Kolkata')).toHaveLength(0);
  });

  it('DAY: now is inside [start, end), start is the first minute of the local date, end the first of the next', () => {
    fc.assert(
      fc.property(sample, ([t, tz]) => {
        const s = capPeriodStart('DAY', new Date(t), tz).getTime();
        const e = (capPeriodEnd('DAY', new Date(t), tz) as Date).getTime();
        expect(s <= t && t < e).toBe(true);
        expect(dateOf(s, tz)).toBe(dateOf(t, tz));
        expect(dateOf(s - MINUTE_MS, tz)).not.toBe(dateOf(t, tz));
        expect(dateOf(e - MINUTE_MS, tz)).toBe(dateOf(t, tz));
        expect(dateOf(e, tz)).not.toBe(dateOf(t, tz));
        expect(e - s).toBeGreaterThanOrEqual(22 * HOUR_MS);
        expect(e - s).toBeLessThanOrEqual(26 * HOUR_MS);
      }),
      { numRuns: 1500 },
    );
  });

  it('WEEK starts on a local Monday and MONTH on a local 1st, both containing now', () => {
    fc.assert(
      fc.property(sample, ([t, tz]) => {
        const ws = capPeriodStart('WEEK', new Date(t), tz).getTime();
        const we = (capPeriodEnd('WEEK', new Date(t), tz) as Date).getTime();
        expect(ws <= t && t < we).toBe(true);
        expect(localParts(new Date(ws), tz).weekday).toBe(0);
        expect(localParts(new Date(we), tz).weekday).toBe(0);
        const ms = capPeriodStart('MONTH', new Date(t), tz).getTime();
        const me = (capPeriodEnd('MONTH', new Date(t), tz) as Date).getTime();
        expect(ms <= t && t < me).toBe(true);
        expect(localParts(new Date(ms), tz).day).toBe(1);
        expect(localParts(new Date(me), tz).day).toBe(1);
        expect(localParts(new Date(ms), tz).month).toBe(localParts(new Date(t), tz).month);
      }),
      { numRuns: 1000 },
    );
  });

  it('HOUR: now is inside [start, end), which starts on a local hour and lasts whole quarter hours, 15 to 120 minutes', () => {
    fc.assert(
      fc.property(sample, ([t, tz]) => {
        const s = capPeriodStart('HOUR', new Date(t), tz).getTime();
        const e = (capPeriodEnd('HOUR', new Date(t), tz) as Date).getTime();
        expect(s <= t && t < e).toBe(true);
        expect(localParts(new Date(s), tz).hour).toBe(localParts(new Date(t), tz).hour);
        // 15 minutes happens: Chatham springs from 02:45 to 03:45, so its local 03 lasts a quarter hour
        const minutes = (e - s) / MINUTE_MS;
        expect(minutes % 15 === 0 && minutes >= 15 && minutes <= 120).toBe(true);
        // tiles: the last instant of the period is in it, and the next period starts where it ends
        expect(capPeriodStart('HOUR', new Date(e - 1), tz).getTime()).toBe(s);
        expect(capPeriodStart('HOUR', new Date(e), tz).getTime()).toBe(e);
      }),
      { numRuns: 1500 },
    );
  });
});
