import { eligibleCampaigns, isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead } from './testing/auction.fixture';

describe('a campaign only buys leads of its own vertical', () => {
  it('rejects a lead of another vertical', () => {
    const c = campaign({ vertical: 'auto-insurance' });
    expect(isEligible(c, lead(), 'auto-insurance', fakeMarket())).toBe(true);
    expect(isEligible(c, lead(), 'home-insurance', fakeMarket())).toBe(false);
    expect(isEligible(c, lead(), 'AUTO-INSURANCE', fakeMarket())).toBe(false);
  });

  it('keeps only same-vertical campaigns', () => {
    const list = [campaign({ id: 'auto', vertical: 'auto-insurance' }), campaign({ id: 'home', vertical: 'home-insurance' })];
    expect(eligibleCampaigns(list, lead(), 'home-insurance', fakeMarket()).map((c) => c.id)).toEqual(['home']);
  });
});
