import { eligibleCampaigns, fixedBids, runFixedPriceAuction } from './eligibility.util';
import { rankBids } from './ranking.util';
import { campaign, fakeMarket, lead, money } from './testing/auction.fixture';

describe('the fixed-price auction lists the bids to try, best first', () => {
  const campaigns = [
    campaign({ id: 'fl-20', buyerId: 'b1', bid: money('20.00'), rules: [{ field: 'state', op: 'EQ', value: 'FL' }] }),
    campaign({ id: 'any-25-broke', buyerId: 'b2', bid: money('25.00') }),
    campaign({ id: 'any-20-won-before', buyerId: 'b3', bid: money('20.00'), lastWonAt: 1_000 }),
    campaign({ id: 'ga-30', buyerId: 'b4', bid: money('30.00'), rules: [{ field: 'state', op: 'EQ', value: 'GA' }] }),
    campaign({ id: 'any-8', buyerId: 'b5', bid: money('8.00') }),
    campaign({ id: 'any-15-paused', buyerId: 'b6', bid: money('15.00'), active: false }),
    campaign({ id: 'live', buyerId: 'b7', bid: null }),
  ];
  const market = fakeMarket({ funds: { b2: money('10.00') } });
  const floridaLead = lead({ state: 'FL' });

  it('ranks eligible fixed bids and applies the floor', () => {
    const bids = runFixedPriceAuction(campaigns, floridaLead, 'auto-insurance', market, money('10.00'));
    expect(bids.map((b) => [b.campaignId, b.buyerId, b.price.toFixed(2)])).toEqual([
      ['fl-20', 'b1', '20.00'],
      ['any-20-won-before', 'b3', '20.00'],
    ]);
  });

  it('matches eligibility followed by ranking', () => {
    for (const floor of [undefined, money('8.00'), money('20.00'), money('21.00')]) {
      const direct = runFixedPriceAuction(campaigns, floridaLead, 'auto-insurance', market, floor);
      const composed = rankBids(fixedBids(eligibleCampaigns(campaigns, floridaLead, 'auto-insurance', market)), floor);
      expect(direct).toEqual(composed);
    }
    expect(runFixedPriceAuction(campaigns, floridaLead, 'auto-insurance', market).map((b) => b.campaignId)).toEqual([
      'fl-20',
      'any-20-won-before',
      'any-8',
    ]);
  });

  it('returns nothing when no campaign is eligible', () => {
    expect(runFixedPriceAuction(campaigns, floridaLead, 'home-insurance', market)).toEqual([]);
  });
});
