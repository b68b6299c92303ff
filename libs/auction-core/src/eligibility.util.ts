import Decimal from 'decimal.js';
import { capAllows, capHasRoom, capPeriodStart } from './caps.util';
import { compareMoney } from './money.util';
import { compareBids, isAboveZeroAndFloor } from './ranking.util';
import { isScheduleOpen } from './schedule.util';
import { Bid, CampaignSnapshot, LeadView, MarketView } from './types';

/** Buyer can pay: a fixed bid needs funds >= bid; a live price needs any positive funds. */
function hasFunds(c: CampaignSnapshot, market: MarketView): boolean {
  const funds = market.availableFunds(c.buyerId);
  if (funds === null) return true;
  return c.bid !== null ? compareMoney(funds, c.bid) >= 0 : funds.isPos() && !funds.isZero();
}

function capsAllow(c: CampaignSnapshot, market: MarketView): boolean {
  const caps = c.caps;
  if (caps.length === 0) return true;
  const timezone = c.schedule?.timezone;
  for (let i = 0; i < caps.length; i++) {
    const cap = caps[i];
    const usage = market.capUsage(c.id, cap.period, capPeriodStart(cap.period, market.now, timezone));
    // A live price is unknown here, so only require room left (see capHasRoom).
    if (!(c.bid !== null ? capAllows(cap, usage, c.bid) : capHasRoom(cap, usage))) return false;
  }
  return true;
}

/**
 * Everything but funds and caps. Ordered by what rejects most per memory touched: the campaign's
 * own flags, the schedule (one cached answer per minute), then the filter, which turns most
 * campaigns away, so the exclusion set and the supplier callback are rarely reached.
 */
function passesCampaignChecks(c: CampaignSnapshot, lead: LeadView, vertical: string, market: MarketView): boolean {
  if (!c.active || c.vertical !== vertical) return false;
  if (c.schedule !== null && !isScheduleOpen(c.schedule, market.now)) return false;
  if (!c.filter(lead)) return false;
  if (c.excludedSupplierIds.size !== 0 && c.excludedSupplierIds.has(lead.supplierId)) return false;
  return market.supplierBlocksBuyer === undefined || !market.supplierBlocksBuyer(lead.supplierId, c.buyerId);
}

/**
 * Whether a campaign may bid on a lead: active, same vertical, schedule open, filter holds,
 * supplier neither excluded nor blocking, funds for the bid, room on every cap.
 * All checks are pure and side-effect free, so their order only changes speed (see above).
 */
export function isEligible(c: CampaignSnapshot, lead: LeadView, vertical: string, market: MarketView): boolean {
  return passesCampaignChecks(c, lead, vertical, market) && hasFunds(c, market) && capsAllow(c, market);
}

export function eligibleCampaigns(
  campaigns: readonly CampaignSnapshot[],
  lead: LeadView,
  vertical: string,
  market: MarketView,
): CampaignSnapshot[] {
  const out: CampaignSnapshot[] = [];
  for (let i = 0; i < campaigns.length; i++) {
    if (isEligible(campaigns[i], lead, vertical, market)) out.push(campaigns[i]);
  }
  return out;
}

function toBid(c: CampaignSnapshot & { bid: Decimal }): Bid {
  return { campaignId: c.id, buyerId: c.buyerId, price: c.bid, priority: c.priority, lastWonAt: c.lastWonAt };
}

/** A bid for every fixed-price campaign; live-priced ones (bid null) bid through their ping instead. */
export function fixedBids(campaigns: readonly CampaignSnapshot[]): Bid[] {
  const out: Bid[] = [];
  for (const c of campaigns) if (c.bid !== null) out.push(toBid(c as CampaignSnapshot & { bid: Decimal }));
  return out;
}

/**
 * The fixed-price bids to try for a lead, best first; the sale code reserves them in order.
 * Same result as rankBids(fixedBids(eligibleCampaigns(...)), floor), in one pass; bids that could
 * never rank (live-priced, zero, below floor) skip the market callbacks.
 */
export function runFixedPriceAuction(
  campaigns: readonly CampaignSnapshot[],
  lead: LeadView,
  vertical: string,
  market: MarketView,
  floor?: Decimal | null,
): Bid[] {
  const bids: Bid[] = [];
  for (let i = 0; i < campaigns.length; i++) {
    const c = campaigns[i];
    // The floor check reads the bid's digits, a memory load most campaigns never need: it waits
    // until the cheap checks pass. The result is the same as filtering by floor first.
    if (c.bid === null || !passesCampaignChecks(c, lead, vertical, market)) continue;
    if (!isAboveZeroAndFloor(c.bid, floor)) continue;
    if (hasFunds(c, market) && capsAllow(c, market)) bids.push(toBid(c as CampaignSnapshot & { bid: Decimal }));
  }
  return bids.sort(compareBids);
}
