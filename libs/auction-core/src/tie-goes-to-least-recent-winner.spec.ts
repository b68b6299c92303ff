import { rankBids } from './ranking.util';
import { money } from './testing/auction.fixture';
import { Bid } from './types';

const bid = (campaignId: string, price: string, lastWonAt: number, priority = 0): Bid => ({
  campaignId,
  buyerId: `buyer-of-${campaignId}`,
  price: money(price),
  priority,
  lastWonAt,
});

describe('at equal price the lead goes to the buyer who won least recently', () => {
  it('puts a never-won campaign first, then the oldest win', () => {
    const ranked = rankBids([
      bid('recent', '20.00', 1_750_000_300_000),
      bid('never', '20.00', 0),
      bid('older', '20.00', 1_750_000_100_000),
    ]);
    expect(ranked.map((b) => b.campaignId)).toEqual(['never', 'older', 'recent']);
  });

  it('lets recency beat priority, but never price', () => {
    const ranked = rankBids([
      bid('vip-recent', '20.00', 2_000, 10),
      bid('plain-old', '20.00', 1_000, 0),
      bid('cheap-never', '19.99', 0, 99),
    ]);
    expect(ranked.map((b) => b.campaignId)).toEqual(['plain-old', 'vip-recent', 'cheap-never']);
  });
});
