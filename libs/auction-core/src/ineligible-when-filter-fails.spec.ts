import { isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead } from './testing/auction.fixture';

describe('a campaign only gets leads its filters accept', () => {
  const c = campaign({
    rules: [
      { field: 'state', op: 'IN', value: ['FL', 'GA'] },
      { field: 'age', op: 'BETWEEN', value: [25, 65] },
    ],
  });

  it('is eligible for a matching lead and not for one failing any rule', () => {
    expect(isEligible(c, lead({ state: 'fl', age: 30 }), 'auto-insurance', fakeMarket())).toBe(true);
    expect(isEligible(c, lead({ state: 'NY', age: 30 }), 'auto-insurance', fakeMarket())).toBe(false);
    expect(isEligible(c, lead({ state: 'FL', age: 70 }), 'auto-insurance', fakeMarket())).toBe(false);
  });

  it('does not consult the market for a lead the filter rejects', () => {
    const market = fakeMarket();
    const funds = jest.spyOn(market, 'availableFunds');
    isEligible(campaign({ caps: [{ period: 'DAY', maxLeads: 5 }], rules: [{ field: 'state', op: 'EQ', value: 'FL' }] }), lead({ state: 'GA' }), 'auto-insurance', market);
    expect(funds).not.toHaveBeenCalled();
    expect(market.asked).toEqual([]);
  });
});
