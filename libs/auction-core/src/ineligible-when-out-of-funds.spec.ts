import { isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead, money } from './testing/auction.fixture';

describe('a buyer who cannot pay the bid gets no lead', () => {
  const c = campaign({ buyerId: 'buyer-7', bid: money('30.00') });

  it('is eligible with funds equal to the bid, or with no limit', () => {
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': money('30.00') } }))).toBe(true);
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': null } }))).toBe(true);
  });

  it('is ineligible a cent short', () => {
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': money('29.99') } }))).toBe(false);
  });

  it('needs positive funds for a live-priced campaign', () => {
    const live = campaign({ buyerId: 'buyer-7', bid: null });
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': money('0.01') } }))).toBe(true);
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': money('0.00') } }))).toBe(false);
    expect(isEligible(live, lead(), 'auto-insurance', fakeMarket({ funds: { 'buyer-7': money('-5.00') } }))).toBe(false);
  });
});
