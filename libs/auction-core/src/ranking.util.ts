import Decimal from 'decimal.js';
import { compareMoney } from './money.util';
import { Bid } from './types';

/**
 * Auction order: higher price; then the least recently won (0 = never, so first), spreading
 * equal-price leads across buyers; then higher priority; then campaignId so the order is total.
 */
export function compareBids(a: Bid, b: Bid): number {
  const byPrice = compareMoney(b.price, a.price);
  if (byPrice !== 0) return byPrice;
  if (a.lastWonAt !== b.lastWonAt) return a.lastWonAt < b.lastWonAt ? -1 : 1;
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  return a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0;
}

/** Bids worth trying, best first: drops non-positive bids and bids below the floor (equal is kept). */
export function rankBids(bids: readonly Bid[], floor?: Decimal | null): Bid[] {
  const kept: Bid[] = [];
  for (const bid of bids) {
    if (isAboveZeroAndFloor(bid.price, floor)) kept.push(bid);
  }
  return kept.sort(compareBids);
}

/** Allocation-free: isPos/isZero and compareMoney instead of Decimal comparisons. */
export function isAboveZeroAndFloor(price: Decimal, floor: Decimal | null | undefined): boolean {
  if (!price.isPos() || price.isZero()) return false;
  return floor === null || floor === undefined || compareMoney(price, floor) >= 0;
}
