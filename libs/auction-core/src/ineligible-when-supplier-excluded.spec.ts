import { isEligible } from './eligibility.util';
import { campaign, fakeMarket, lead } from './testing/auction.fixture';

describe('a campaign never buys from a supplier it excluded, nor a supplier from a buyer it blocked', () => {
  it('rejects leads of an excluded supplier only', () => {
    const c = campaign({ excludedSupplierIds: new Set(['sup-bad']) });
    expect(isEligible(c, lead({}, { supplierId: 'sup-bad' }), 'auto-insurance', fakeMarket())).toBe(false);
    expect(isEligible(c, lead({}, { supplierId: 'sup-good' }), 'auto-insurance', fakeMarket())).toBe(true);
  });

  it('rejects buyers the supplier blocks', () => {
    const market = fakeMarket({ blocked: [['sup-1', 'buyer-x']] });
    expect(isEligible(campaign({ buyerId: 'buyer-x' }), lead({}, { supplierId: 'sup-1' }), 'auto-insurance', market)).toBe(false);
    expect(isEligible(campaign({ buyerId: 'buyer-y' }), lead({}, { supplierId: 'sup-1' }), 'auto-insurance', market)).toBe(true);
    expect(isEligible(campaign({ buyerId: 'buyer-x' }), lead({}, { supplierId: 'sup-2' }), 'auto-insurance', market)).toBe(true);
  });
});
