import { capPeriodEnd, capPeriodStart } from './caps.util';

/**
 * Found by the property spec (seed -1492165207): on 2029-04-01 Chatham falls back from 03:45 (+13:45)
 * to 02:45 (+12:45), so local 02 comes back for a quarter hour, 14:00–14:15 UTC, an hour after its
 * 02:00 (12:15 UTC). The HOUR cap period then must be that quarter hour, not the first 02.
 */
describe('an HOUR cap in Pacific/Chatham as it falls back at a quarter hour', () => {
  const zone = 'Pacific/Chatham';
  const at = (iso: string) => new Date(iso);

  it('is the quarter hour the clock came back into', () => {
    const now = at('2029-03-31T14:14:59.999Z'); // local 02:59:59.999, the second time
    expect(capPeriodStart('HOUR', now, zone).toISOString()).toBe('2029-03-31T14:00:00.000Z');
    expect((capPeriodEnd('HOUR', now, zone) as Date).toISOString()).toBe('2029-03-31T14:15:00.000Z');
  });

  it('leaves the first local 02 and the local 03 before the jump as they were', () => {
    const first02 = at('2029-03-31T12:30:00Z'); // 02:15 daylight time
    expect(capPeriodStart('HOUR', first02, zone).toISOString()).toBe('2029-03-31T12:15:00.000Z');
    expect((capPeriodEnd('HOUR', first02, zone) as Date).toISOString()).toBe('2029-03-31T13:15:00.000Z');
    const first03 = at('2029-03-31T13:30:00Z'); // 03:15 daylight time, 30 minutes before the jump
    expect(capPeriodStart('HOUR', first03, zone).toISOString()).toBe('2029-03-31T13:15:00.000Z');
    expect((capPeriodEnd('HOUR', first03, zone) as Date).toISOString()).toBe('2029-03-31T14:00:00.000Z');
  });
});
