import { isScheduleOpen } from './schedule.util';
import { Schedule, ScheduleWindow } from './types';

const ny = (...windows: ScheduleWindow[]): Schedule => ({ timezone: 'America/New_York', windows });
const WEEKDAYS_ONLY: ScheduleWindow['days'] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const EVERY_DAY: ScheduleWindow['days'] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const openAt = (s: Schedule | null | undefined, iso: string) => isScheduleOpen(s, new Date(iso));

describe('a schedule in New York follows New York wall-clock time', () => {
  const office = ny({ days: WEEKDAYS_ONLY, start: '09:00', end: '17:00' });

  it('opens at 09:00 local and closes at 17:00 local (EDT, UTC-4)', () => {
    expect(openAt(office, '2026-07-01T12:59:00Z')).toBe(false); // Wed 08:59
    expect(openAt(office, '2026-07-01T13:00:00Z')).toBe(true); // Wed 09:00
    expect(openAt(office, '2026-07-01T20:59:59Z')).toBe(true); // Wed 16:59
    expect(openAt(office, '2026-07-01T21:00:00Z')).toBe(false); // Wed 17:00
    expect(openAt(office, '2026-07-04T15:00:00Z')).toBe(false); // Sat 11:00
  });

  it('uses the local weekday, not the UTC one', () => {
    // Fri 23:30 NY is already Saturday in UTC; Sun 23:30 NY is Monday in UTC.
    const lateFriday = ny({ days: ['FRI'], start: '23:00', end: '24:00' });
    expect(openAt(lateFriday, '2026-07-04T03:30:00Z')).toBe(true);
    expect(openAt(ny({ days: ['MON'], start: '00:00', end: '24:00' }), '2026-07-06T03:30:00Z')).toBe(false);
  });

  it('runs an overnight window from its start day into the next morning', () => {
    const nights = ny({ days: ['FRI'], start: '22:00', end: '02:00' });
    expect(openAt(nights, '2026-07-04T01:59:00Z')).toBe(false); // Fri 21:59
    expect(openAt(nights, '2026-07-04T02:00:00Z')).toBe(true); // Fri 22:00
    expect(openAt(nights, '2026-07-04T05:00:00Z')).toBe(true); // Sat 01:00
    expect(openAt(nights, '2026-07-04T06:00:00Z')).toBe(false); // Sat 02:00
    expect(openAt(nights, '2026-07-05T03:00:00Z')).toBe(false); // Sat 23:00: Saturday is not a start day
    expect(openAt(nights, '2026-07-03T05:00:00Z')).toBe(false); // Fri 01:00: Thursday is not a start day
  });

  it('wraps Sunday night into Monday morning', () => {
    const sundayNight = ny({ days: ['SUN'], start: '22:00', end: '02:00' });
    expect(openAt(sundayNight, '2026-07-06T05:00:00Z')).toBe(true); // Mon 01:00
    expect(openAt(sundayNight, '2026-07-07T05:00:00Z')).toBe(false); // Tue 01:00
  });

  it('treats end 24:00 as end of day and start == end as a full 24 hours', () => {
    const evening = ny({ days: EVERY_DAY, start: '18:00', end: '24:00' });
    expect(openAt(evening, '2026-07-02T03:59:00Z')).toBe(true); // 23:59
    expect(openAt(evening, '2026-07-02T04:00:00Z')).toBe(false); // 00:00
    const saturday = ny({ days: ['SAT'], start: '06:00', end: '06:00' });
    expect(openAt(saturday, '2026-07-04T09:59:00Z')).toBe(false); // Sat 05:59
    expect(openAt(saturday, '2026-07-04T10:00:00Z')).toBe(true); // Sat 06:00
    expect(openAt(saturday, '2026-07-05T09:59:00Z')).toBe(true); // Sun 05:59
    expect(openAt(saturday, '2026-07-05T10:00:00Z')).toBe(false); // Sun 06:00
  });

  it('keeps 09:00 local across the DST change (EST before, EDT after)', () => {
    const daily = ny({ days: EVERY_DAY, start: '09:00', end: '17:00' });
    expect(openAt(daily, '2026-03-06T13:59:00Z')).toBe(false); // Fri 08:59 EST
    expect(openAt(daily, '2026-03-06T14:00:00Z')).toBe(true); // Fri 09:00 EST
    expect(openAt(daily, '2026-03-09T12:59:00Z')).toBe(false); // Mon 08:59 EDT
    expect(openAt(daily, '2026-03-09T13:00:00Z')).toBe(true); // Mon 09:00 EDT
  });

  it('never opens in the hour skipped in spring, and opens twice in the hour repeated in autumn', () => {
    const skipped = ny({ days: ['SUN'], start: '02:00', end: '03:00' });
    expect(openAt(skipped, '2026-03-08T06:59:00Z')).toBe(false); // 01:59 EST
    expect(openAt(skipped, '2026-03-08T07:00:00Z')).toBe(false); // 03:00 EDT
    const repeated = ny({ days: ['SUN'], start: '01:00', end: '02:00' });
    expect(openAt(repeated, '2026-11-01T05:30:00Z')).toBe(true); // 01:30 EDT
    expect(openAt(repeated, '2026-11-01T06:30:00Z')).toBe(true); // 01:30 EST
    expect(openAt(repeated, '2026-11-01T07:00:00Z')).toBe(false); // 02:00 EST
  });

  it('is always open without a schedule and never open with a broken one', () => {
    expect(openAt(null, '2026-07-04T06:00:00Z')).toBe(true);
    expect(openAt(undefined, '2026-07-04T06:00:00Z')).toBe(true);
    expect(openAt({ timezone: 'Mars/Base', windows: [{ days: EVERY_DAY, start: '00:00', end: '24:00' }] }, '2026-07-04T06:00:00Z')).toBe(false);
  });
});
