import { validateSchedule } from './schedule.util';

const window = { days: ['MON'], start: '09:00', end: '17:00' };

describe('schedule validation names the bad part', () => {
  it('accepts a good schedule, with 24:00 as an end', () => {
    expect(validateSchedule({ timezone: 'America/New_York', windows: [window, { days: ['SAT', 'SUN'], start: '00:00', end: '24:00' }] })).toEqual([]);
  });

  it('rejects an unknown time zone', () => {
    expect(validateSchedule({ timezone: 'Mars/Base', windows: [window] })).toEqual(['schedule.timezone: unknown time zone "Mars/Base"']);
    expect(validateSchedule({ windows: [window] })).toEqual(['schedule.timezone: must be an IANA time zone such as "America/New_York"']);
  });

  it('rejects missing windows and days, and unknown weekdays', () => {
    expect(validateSchedule({ timezone: 'UTC', windows: [] })).toEqual(['schedule.windows: must have at least one window']);
    expect(validateSchedule({ timezone: 'UTC', windows: [{ ...window, days: [] }] })).toEqual(['schedule.windows[0].days: must have at least one day']);
    expect(validateSchedule({ timezone: 'UTC', windows: [window, { ...window, days: ['MON', 'FUNDAY'] }] })).toEqual([
      'schedule.windows[1].days[1]: unknown weekday "FUNDAY" (use MON, TUE, WED, THU, FRI, SAT, SUN)',
    ]);
  });

  it('rejects times that are not HH:MM, allowing 24:00 only as an end', () => {
    expect(validateSchedule({ timezone: 'UTC', windows: [{ ...window, start: '24:00', end: '9:00' }] })).toEqual([
      'schedule.windows[0].start: "24:00" is not a time HH:MM between 00:00 and 23:59',
      'schedule.windows[0].end: "9:00" is not a time HH:MM between 00:00 and 24:00',
    ]);
    expect(validateSchedule({ timezone: 'UTC', windows: [{ ...window, start: '12:60', end: '24:01' }] })).toHaveLength(2);
  });

  it('rejects a non-object', () => {
    expect(validateSchedule('9-5')).toEqual(['schedule: must be an object with timezone and windows']);
    expect(validateSchedule(null)).toEqual(['schedule: must be an object with timezone and windows']);
  });
});
