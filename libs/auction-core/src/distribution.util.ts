import Decimal from 'decimal.js';
import { compareBids, isAboveZeroAndFloor } from './ranking.util';
import { Bid } from './types';

export const DISTRIBUTION_MODES = ['AUCTION', 'PRIORITY', 'ROUND_ROBIN', 'WEIGHTED'] as const;
/**
 * How a vertical's leads are routed among eligible campaigns at or above the floor:
 * AUCTION — best price (then least-recent winner, then priority); PRIORITY — a waterfall by
 * campaign priority (then price); ROUND_ROBIN — the campaign that least recently won first;
 * WEIGHTED — a random order drawn in proportion to campaign weights.
 */
export type DistributionMode = (typeof DISTRIBUTION_MODES)[number];

/** A bid with what routing and sharing need beyond the auction. */
export interface RoutedBid extends Bid {
  /** Relative share for WEIGHTED routing (0 = only after every weighted campaign). */
  weight: number;
  /** Whether the campaign buys the lead exclusively, shared with others, or either. */
  purchaseMode: 'EXCLUSIVE' | 'SHARED' | 'BOTH';
}

const byPriority = (a: Bid, b: Bid) => (a.priority !== b.priority ? b.priority - a.priority : compareBids(a, b));
const byLeastRecentWin = (a: Bid, b: Bid) =>
  a.lastWonAt !== b.lastWonAt ? a.lastWonAt - b.lastWonAt : a.priority !== b.priority ? b.priority - a.priority : compareBids(a, b);

/**
 * The order in which bids are tried, for a distribution mode. Bids below the floor (or not positive)
 * are dropped. `random` returns [0, 1) and is injected so WEIGHTED routing is testable.
 */
export function orderBids<T extends RoutedBid>(mode: DistributionMode, bids: readonly T[], floor?: Decimal | null, random: () => number = Math.random): T[] {
  const kept = bids.filter((b) => isAboveZeroAndFloor(b.price, floor));
  switch (mode) {
    case 'PRIORITY':
      return kept.sort(byPriority);
    case 'ROUND_ROBIN':
      return kept.sort(byLeastRecentWin);
    case 'WEIGHTED': {
      // Efraimidis–Spirakis: key u^(1/w), highest first, is a weighted random permutation.
      const keyed = kept.map((b) => ({ b, key: b.weight > 0 ? Math.pow(random(), 1 / b.weight) : -1 }));
      return keyed.sort((x, y) => y.key - x.key || compareBids(x.b, y.b)).map((x) => x.b);
    }
    default:
      return kept.sort(compareBids);
  }
}

/** What a lead is sold as: to one buyer, or to several who each pay their own bid. */
export interface SalePlan<T extends RoutedBid> {
  shared: boolean;
  /** Bids to try in order: exclusive — until one sale; shared — until maxSales sales. */
  bids: T[];
  /** What the plan is worth if it sells as planned: the top bid, or the sum of the shared set. */
  value: Decimal;
}

/**
 * Picks the more valuable of the best exclusive sale and the best shared sale (at most `maxSales`
 * buyers, one campaign per buyer, each paying its own bid), from bids already in trying order.
 * With maxSales = 1 every campaign but SHARED-only ones competes for one exclusive sale.
 */
export function planSale<T extends RoutedBid>(ordered: readonly T[], maxSales: number): SalePlan<T> {
  const exclusive = ordered.filter((b) => b.purchaseMode !== 'SHARED');
  const exclusiveValue = exclusive.length ? exclusive[0].price : new Decimal(0);
  if (maxSales <= 1) return { shared: false, bids: exclusive, value: exclusiveValue };

  const sharable = ordered.filter((b) => b.purchaseMode !== 'EXCLUSIVE');
  const buyers = new Set<string>();
  const best: T[] = [];
  for (const b of sharable) {
    if (buyers.has(b.buyerId)) continue;
    buyers.add(b.buyerId);
    best.push(b);
    if (best.length === maxSales) break;
  }
  const sharedValue = best.reduce((sum, b) => sum.plus(b.price), new Decimal(0));
  if (best.length >= 2 && sharedValue.gt(exclusiveValue)) {
    // the rest of the sharable bids back the set up if one of its buyers cannot take the lead
    const rest = sharable.filter((b) => !best.includes(b));
    return { shared: true, bids: [...best, ...rest], value: sharedValue };
  }
  return { shared: false, bids: exclusive, value: exclusiveValue };
}
