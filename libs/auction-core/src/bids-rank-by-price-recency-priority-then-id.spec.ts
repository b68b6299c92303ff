import fc from 'fast-check';
import { compareBids, rankBids } from './ranking.util';
import { money } from './testing/auction.fixture';
import { Bid } from './types';

const bid = (campaignId: string, price: string, lastWonAt = 0, priority = 0): Bid => ({
  campaignId,
  buyerId: 'b',
  price: money(price),
  priority,
  lastWonAt,
});

describe('bids rank by price, then least recent win, then priority, then campaign id', () => {
  it('orders a mixed field deterministically', () => {
    const ranked = rankBids([
      bid('c-low', '5.00'),
      bid('c-b', '12.00', 0, 1),
      bid('c-a', '12.00', 0, 1),
      bid('c-prio', '12.00', 0, 5),
      bid('c-high', '12.01', 9_999),
      bid('c-won', '12.00', 1),
    ]);
    expect(ranked.map((b) => b.campaignId)).toEqual(['c-high', 'c-prio', 'c-a', 'c-b', 'c-won', 'c-low']);
  });

  it('compares prices exactly, not as floats', () => {
    expect(compareBids(bid('a', '0.30'), bid('b', '0.3'))).toBeLessThan(0); // equal price: id decides
    expect(compareBids(bid('a', '999999999999.98'), bid('b', '999999999999.99'))).toBeGreaterThan(0);
  });

  it('gives the same order whatever the input order', () => {
    const arbBid = fc.record({
      campaignId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      buyerId: fc.constant('x'),
      price: fc.integer({ min: 1, max: 5 }).map((n) => money(`${n}.00`)),
      priority: fc.integer({ min: 0, max: 2 }),
      lastWonAt: fc.constantFrom(0, 1000, 2000),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbBid, { selector: (b) => b.campaignId, maxLength: 6 }), fc.infiniteStream(fc.double()), (bids, rnd) => {
        const shuffled = bids.map((b) => ({ b, k: rnd.next().value })).sort((x, y) => x.k - y.k).map((x) => x.b);
        const ids = (bs: Bid[]) => rankBids(bs).map((b) => b.campaignId);
        expect(ids(shuffled)).toEqual(ids(bids));
        const ranked = rankBids(bids);
        for (let i = 1; i < ranked.length; i++) expect(compareBids(ranked[i - 1], ranked[i])).toBeLessThan(0);
      }),
    );
  });

  it('returns a new array and leaves the input alone', () => {
    const input = [bid('a', '1.00'), bid('b', '2.00')];
    const out = rankBids(input);
    expect(out).not.toBe(input);
    expect(input.map((b) => b.campaignId)).toEqual(['a', 'b']);
    expect(out.map((b) => b.campaignId)).toEqual(['b', 'a']);
  });
});
