import Decimal from 'decimal.js';
import { orderBids, RoutedBid } from './distribution.util';

const bid = (id: string, price: string, o: Partial<RoutedBid> = {}): RoutedBid => ({
  campaignId: id, buyerId: `buyer-${id}`, price: new Decimal(price), priority: 0, lastWonAt: 0, weight: 1, purchaseMode: 'EXCLUSIVE', ...o,
});

describe('distribution modes', () => {
  const bids = [
    bid('cheap-urgent', '5.00', { priority: 10, lastWonAt: 3000 }),
    bid('rich', '20.00', { priority: 1, lastWonAt: 2000 }),
    bid('idle', '10.00', { priority: 5, lastWonAt: 1000 }),
    bid('below-floor', '1.00', { priority: 99 }),
  ];
  const ids = (b: RoutedBid[]) => b.map((x) => x.campaignId);
  const floor = new Decimal('2.00');

  it('AUCTION: highest price first', () => expect(ids(orderBids('AUCTION', bids, floor))).toEqual(['rich', 'idle', 'cheap-urgent']));
  it('PRIORITY: highest priority first, whatever the price', () =>
    expect(ids(orderBids('PRIORITY', bids, floor))).toEqual(['cheap-urgent', 'idle', 'rich']));
  it('ROUND_ROBIN: the campaign that least recently won first', () =>
    expect(ids(orderBids('ROUND_ROBIN', bids, floor))).toEqual(['idle', 'rich', 'cheap-urgent']));

  it('WEIGHTED: first place in proportion to weight, and weight 0 never first', () => {
    const weighted = [bid('a', '5.00', { weight: 3 }), bid('b', '5.00', { weight: 1 }), bid('z', '5.00', { weight: 0 })];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const first: Record<string, number> = { a: 0, b: 0, z: 0 };
    for (let i = 0; i < 4000; i++) first[orderBids('WEIGHTED', weighted, null, random)[0].campaignId]++;
    expect(first.z).toBe(0);
    expect(first.a / 4000).toBeGreaterThan(0.7);
    expect(first.a / 4000).toBeLessThan(0.8);
  });
});
