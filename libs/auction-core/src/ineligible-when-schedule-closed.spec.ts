import { isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead } from './testing/auction.fixture';

describe('a campaign outside its schedule gets no lead', () => {
  const c = campaign({ schedule: { timezone: 'America/Chicago', windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '18:00' }] } });

  it('is eligible inside the window, in Chicago time', () => {
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ now: new Date('2026-07-01T13:00:00Z') }))).toBe(true); // Wed 08:00 CDT
  });

  it('is ineligible a minute before it opens, at closing and at the weekend', () => {
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ now: new Date('2026-07-01T12:59:00Z') }))).toBe(false);
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ now: new Date('2026-07-01T23:00:00Z') }))).toBe(false);
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ now: new Date('2026-07-04T15:00:00Z') }))).toBe(false);
  });
});
