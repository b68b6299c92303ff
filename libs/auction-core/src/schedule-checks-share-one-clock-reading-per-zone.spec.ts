import { isScheduleOpen } from './schedule.util';
import { localParts } from './time-zone.util';
import { Schedule } from './types';

describe('a thousand schedules in a few zones cost a few Intl calls per minute', () => {
  const zones = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'];
  const schedules: Schedule[] = Array.from({ length: 1000 }, (_, i) => ({
    timezone: zones[i % zones.length],
    windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: `${String(6 + (i % 6)).padStart(2, '0')}:00`, end: '20:00' }],
  }));

  afterEach(() => jest.restoreAllMocks());

  it('reads each zone clock once for the minute, however many schedules ask', () => {
    // Compile all schedules first so only clock reads are counted.
    const warmup = new Date('2026-07-01T12:00:00Z');
    for (const s of schedules) isScheduleOpen(s, warmup);
    const spy = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const now = new Date('2026-07-01T15:00:10Z'); // Wed 11:00 NY, 10:00 Chicago, 08:00 LA
    const open = schedules.filter((s) => isScheduleOpen(s, now)).length;
    expect(spy).toHaveBeenCalledTimes(3);
    // NY (334 schedules) all open; Chicago (333) all open; LA opens at 06–08 only: i%6 in {0,1,2}.
    const laOpen = schedules.filter((s, i) => s.timezone === 'America/Los_Angeles' && 6 + (i % 6) <= 8).length;
    expect(open).toBe(334 + 333 + laOpen);
    // Later in the same minute: no new Intl call at all.
    for (const s of schedules) isScheduleOpen(s, new Date('2026-07-01T15:00:59Z'));
    expect(spy).toHaveBeenCalledTimes(3);
    // The next minute: one call per zone again.
    for (const s of schedules) isScheduleOpen(s, new Date('2026-07-01T15:01:00Z'));
    expect(spy).toHaveBeenCalledTimes(6);
  });

  it('localParts reads the calendar in the zone', () => {
    const t = new Date('2026-07-01T06:30:00Z');
    expect(localParts(t, 'America/Los_Angeles')).toEqual({ year: 2026, month: 6, day: 30, weekday: 1, hour: 23, minute: 30 });
    expect(localParts(t, 'Asia/Tokyo')).toEqual({ year: 2026, month: 7, day: 1, weekday: 2, hour: 15, minute: 30 });
    expect(localParts(new Date('2026-01-04T00:00:00Z'), 'UTC')).toEqual({ year: 2026, month: 1, day: 4, weekday: 6, hour: 0, minute: 0 });
    expect(() => localParts(t, 'Mars/Base')).toThrow('unknown time zone "Mars/Base"');
  });
});
