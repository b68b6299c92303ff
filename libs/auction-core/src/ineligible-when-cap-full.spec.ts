import Decimal from 'decimal.js';
import { isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead, money } from './testing/auction.fixture';

describe('a campaign whose cap is full gets no more leads this period', () => {
  const c = campaign({
    bid: money('25.00'),
    caps: [
      { period: 'DAY', maxLeads: 10 },
      { period: 'MONTH', maxSpend: money('1000.00') },
    ],
    schedule: { timezone: 'America/Los_Angeles', windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '00:00', end: '24:00' }] },
  });
  const now = new Date('2026-07-01T06:30:00Z'); // June 30, 23:30 in Los Angeles

  it('is eligible with room on every cap', () => {
    const market = fakeMarket({ now, usage: { DAY: { leads: 9, spend: money('225.00') }, MONTH: { leads: 9, spend: money('975.00') } } });
    expect(isEligible(c, lead(), 'auto-insurance', market)).toBe(true);
  });

  it('asks for usage from the period start in the campaign time zone', () => {
    const market = fakeMarket({ now });
    isEligible(c, lead(), 'auto-insurance', market);
    expect(market.asked).toEqual([
      { campaignId: 'camp-1', period: 'DAY', periodStart: '2026-06-30T07:00:00.000Z' },
      { campaignId: 'camp-1', period: 'MONTH', periodStart: '2026-06-01T07:00:00.000Z' },
    ]);
  });

  it('is ineligible at the lead count', () => {
    const market = fakeMarket({ now, usage: { DAY: { leads: 10, spend: money('250.00') } } });
    expect(isEligible(c, lead(), 'auto-insurance', market)).toBe(false);
  });

  it('is ineligible when the price would overrun the spend cap', () => {
    const market = fakeMarket({ now, usage: { MONTH: { leads: 39, spend: money('975.01') } } });
    expect(isEligible(c, lead(), 'auto-insurance', market)).toBe(false);
  });

  it('counts caps in UTC when the campaign has no schedule', () => {
    const market = fakeMarket({ now, usage: { DAY: { leads: 0, spend: new Decimal(0) } } });
    isEligible(campaign({ caps: [{ period: 'DAY', maxLeads: 1 }] }), lead(), 'auto-insurance', market);
    expect(market.asked.map((a) => a.periodStart)).toEqual(['2026-07-01T00:00:00.000Z']);
  });
});
