import { eligibleCampaigns, isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead } from './testing/auction.fixture';

describe('a paused campaign gets no leads', () => {
  it('is eligible while active and not once paused', () => {
    const market = fakeMarket();
    expect(isEligible(campaign({ active: true }), lead(), 'auto-insurance', market)).toBe(true);
    expect(isEligible(campaign({ active: false }), lead(), 'auto-insurance', market)).toBe(false);
  });

  it('drops only the paused one from a list', () => {
    const list = [campaign({ id: 'on' }), campaign({ id: 'off', active: false }), campaign({ id: 'also-on' })];
    expect(eligibleCampaigns(list, lead(), 'auto-insurance', fakeMarket()).map((c) => c.id)).toEqual(['on', 'also-on']);
  });
});
