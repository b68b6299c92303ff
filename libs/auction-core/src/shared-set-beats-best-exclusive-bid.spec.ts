import Decimal from 'decimal.js';
import { planSale, RoutedBid } from './distribution.util';

const bid = (id: string, buyer: string, price: string, purchaseMode: RoutedBid['purchaseMode'] = 'BOTH'): RoutedBid => ({
  campaignId: id, buyerId: buyer, price: new Decimal(price), priority: 0, lastWonAt: 0, weight: 1, purchaseMode,
});

describe('planSale: exclusive or shared, whichever is worth more', () => {
  it('sells shared when three buyers together pay more than the best exclusive bid', () => {
    const plan = planSale([bid('x', 'X', '20.00', 'EXCLUSIVE'), bid('a', 'A', '9.00', 'SHARED'), bid('b', 'B', '8.00'), bid('c', 'C', '7.50', 'SHARED')], 3);
    expect(plan.shared).toBe(true);
    expect(plan.value.toFixed(2)).toBe('24.50');
    expect(plan.bids.map((b) => b.campaignId)).toEqual(['a', 'b', 'c']);
  });

  it('sells exclusive when the best exclusive bid is worth more than the shared set', () => {
    const plan = planSale([bid('x', 'X', '30.00', 'EXCLUSIVE'), bid('a', 'A', '9.00', 'SHARED'), bid('b', 'B', '8.00')], 3);
    expect(plan.shared).toBe(false);
    expect(plan.value.toFixed(2)).toBe('30.00');
    expect(plan.bids.map((b) => b.campaignId)).toEqual(['x', 'b']); // SHARED-only campaigns never buy exclusively
  });

  it('takes one campaign per buyer in a shared set, and keeps the others as backups', () => {
    const plan = planSale([bid('a1', 'A', '10.00', 'SHARED'), bid('a2', 'A', '9.50', 'SHARED'), bid('b', 'B', '9.00', 'SHARED'), bid('c', 'C', '1.00', 'SHARED')], 2);
    expect(plan.shared).toBe(true);
    expect(plan.bids.map((b) => b.campaignId)).toEqual(['a1', 'b', 'a2', 'c']);
    expect(plan.value.toFixed(2)).toBe('19.00');
  });

  it('is always exclusive on a vertical that sells each lead once', () => {
    const plan = planSale([bid('a', 'A', '9.00', 'SHARED'), bid('b', 'B', '8.00')], 1);
    expect(plan).toMatchObject({ shared: false, bids: [expect.objectContaining({ campaignId: 'b' })] });
  });
});
