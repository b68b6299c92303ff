import { capPeriodEnd, capPeriodStart } from './caps.util';

/**
 * Chatham springs from 02:45 (+12:45) to 03:45 (+13:45) on 2029-09-30: local 03:00 never happens,
 * so the hour "03" begins at the jump (14:00Z) and lasts a quarter hour, to 04:00 local (14:15Z).
 * Found by the property test; a start after "now" would count a sale in no period at all.
 */
test('an HOUR cap period begins at the jump when its HH:00 was skipped', () => {
  const now = new Date('2029-09-29T14:14:59.999Z'); // 03:59:59.999 local
  expect(capPeriodStart('HOUR', now, 'Pacific/Chatham').toISOString()).toBe('2029-09-29T14:00:00.000Z');
  expect(capPeriodEnd('HOUR', now, 'Pacific/Chatham')?.toISOString()).toBe('2029-09-29T14:15:00.000Z');
});
