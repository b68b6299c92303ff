import { capPeriodEnd, capPeriodStart } from './caps.util';
import { CapPeriod } from './types';

const start = (period: CapPeriod, iso: string, tz: string | null) => capPeriodStart(period, new Date(iso), tz).toISOString();
const end = (period: CapPeriod, iso: string, tz: string | null) => capPeriodEnd(period, new Date(iso), tz)?.toISOString() ?? null;

describe('cap periods start and end on the campaign clock', () => {
  it('DAY in Los Angeles at 2026-07-01T06:30Z is still June 30 there', () => {
    expect(start('DAY', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-06-30T07:00:00.000Z');
    expect(end('DAY', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-07-01T07:00:00.000Z');
  });

  it('WEEK starts on local Monday 00:00, MONTH on the local 1st', () => {
    expect(start('WEEK', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-06-29T07:00:00.000Z');
    expect(end('WEEK', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-07-06T07:00:00.000Z');
    expect(start('MONTH', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-06-01T07:00:00.000Z');
    expect(end('MONTH', '2026-07-01T06:30:00Z', 'America/Los_Angeles')).toBe('2026-07-01T07:00:00.000Z');
    // A Monday itself starts its own week.
    expect(start('WEEK', '2026-07-06T07:00:00Z', 'America/Los_Angeles')).toBe('2026-07-06T07:00:00.000Z');
    // December rolls into the next year.
    expect(end('MONTH', '2026-12-31T23:00:00Z', 'America/New_York')).toBe('2027-01-01T05:00:00.000Z');
  });

  it('moves to the next period as soon as local midnight passes', () => {
    expect(start('DAY', '2026-07-01T06:59:59Z', 'America/Los_Angeles')).toBe('2026-06-30T07:00:00.000Z');
    expect(start('DAY', '2026-07-01T07:00:00Z', 'America/Los_Angeles')).toBe('2026-07-01T07:00:00.000Z');
    expect(start('DAY', '2026-07-01T06:59:59Z', 'America/Los_Angeles')).toBe('2026-06-30T07:00:00.000Z');
  });

  it('finds midnight on the New York spring-forward day (a 23-hour day)', () => {
    expect(start('DAY', '2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(end('DAY', '2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(start('WEEK', '2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-02T05:00:00.000Z');
    expect(end('WEEK', '2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(start('WEEK', '2026-03-10T12:00:00Z', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });

  it('finds midnight on the New York fall-back day (a 25-hour day), in either 01:30', () => {
    for (const t of ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-01T12:00:00Z']) {
      expect(start('DAY', t, 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
      expect(end('DAY', t, 'America/New_York')).toBe('2026-11-02T05:00:00.000Z');
    }
    expect(start('MONTH', '2026-11-15T12:00:00Z', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    expect(end('MONTH', '2026-11-15T12:00:00Z', 'America/New_York')).toBe('2026-12-01T05:00:00.000Z');
  });

  it('counts the repeated 01:00 hour twice, once per offset', () => {
    expect(start('HOUR', '2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-01T05:00:00.000Z'); // 01:30 EDT
    expect(end('HOUR', '2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-01T06:00:00.000Z');
    expect(start('HOUR', '2026-11-01T06:30:00Z', 'America/New_York')).toBe('2026-11-01T06:00:00.000Z'); // 01:30 EST
    expect(end('HOUR', '2026-11-01T06:30:00Z', 'America/New_York')).toBe('2026-11-01T07:00:00.000Z');
  });

  it('starts the day after the gap where DST skips midnight itself (Santiago)', () => {
    expect(end('DAY', '2026-09-05T12:00:00Z', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(start('DAY', '2026-09-06T12:00:00Z', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('starts local hours on the half hour in India', () => {
    expect(start('HOUR', '2026-07-01T10:10:00Z', 'Asia/Kolkata')).toBe('2026-07-01T09:30:00.000Z');
    expect(end('HOUR', '2026-07-01T10:10:00Z', 'Asia/Kolkata')).toBe('2026-07-01T10:30:00.000Z');
    expect(start('DAY', '2026-07-01T18:40:00Z', 'Asia/Kolkata')).toBe('2026-07-01T18:30:00.000Z');
  });

  it('uses UTC without a zone, and the epoch for TOTAL', () => {
    expect(start('HOUR', '2026-07-01T06:30:00Z', null)).toBe('2026-07-01T06:00:00.000Z');
    expect(start('DAY', '2026-07-01T06:30:00Z', null)).toBe('2026-07-01T00:00:00.000Z');
    expect(start('WEEK', '2026-07-01T06:30:00Z', undefined as unknown as null)).toBe('2026-06-29T00:00:00.000Z');
    expect(start('MONTH', '2026-07-01T06:30:00Z', null)).toBe('2026-07-01T00:00:00.000Z');
    expect(start('TOTAL', '2026-07-01T06:30:00Z', 'America/New_York')).toBe('1970-01-01T00:00:00.000Z');
    expect(end('TOTAL', '2026-07-01T06:30:00Z', 'America/New_York')).toBeNull();
  });
});
