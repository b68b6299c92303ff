import { rankBids } from './ranking.util';
import { money } from './testing/auction.fixture';
import { Bid } from './types';

const bid = (campaignId: string, price: string): Bid => ({ campaignId, buyerId: 'b', price: money(price), priority: 0, lastWonAt: 0 });

describe('the floor drops bids below it and keeps bids at it', () => {
  const bids = [bid('under', '9.99'), bid('at', '10.00'), bid('over', '15.00'), bid('zero', '0'), bid('negative', '-1.00')];

  it('keeps bids equal to or above the floor', () => {
    expect(rankBids(bids, money('10.00')).map((b) => b.campaignId)).toEqual(['over', 'at']);
  });

  it('drops zero and negative bids even without a floor', () => {
    expect(rankBids(bids).map((b) => b.campaignId)).toEqual(['over', 'at', 'under']);
    expect(rankBids(bids, null).map((b) => b.campaignId)).toEqual(['over', 'at', 'under']);
  });

  it('drops everything under a high floor', () => {
    expect(rankBids(bids, money('15.01'))).toEqual([]);
  });
});
