import { fixedBids, isEligible, runFixedPriceAuction } from './eligibility.util';
import { campaign, fakeMarket, lead, money } from './testing/auction.fixture';

describe('a live-priced campaign is eligible while its caps have room, and bids through its ping', () => {
  const live = campaign({ id: 'live', bid: null, caps: [{ period: 'DAY', maxLeads: 5, maxSpend: money('100.00') }] });

  it('is eligible with spend below the cap', () => {
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ usage: { DAY: { leads: 4, spend: money('99.99') } } }))).toBe(true);
  });

  it('is ineligible once spend reaches the cap or leads reach the count', () => {
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ usage: { DAY: { leads: 4, spend: money('100.00') } } }))).toBe(false);
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ usage: { DAY: { leads: 5, spend: money('0') } } }))).toBe(false);
  });

  it('makes no fixed bid', () => {
    const fixed = campaign({ id: 'fixed', bid: money('12.00') });
    expect(fixedBids([live, fixed]).map((b) => [b.campaignId, b.price.toFixed(2)])).toEqual([['fixed', '12.00']]);
    expect(runFixedPriceAuction([live, fixed], lead(), 'auto-insurance', fakeMarket()).map((b) => b.campaignId)).toEqual(['fixed']);
  });
});
