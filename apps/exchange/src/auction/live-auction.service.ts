import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { computePayout, eligibleCampaigns, LeadView, orderBids, planSale, RoutedBid } from '@leadex/auction-core';
import { BuyerBiddingService } from '../buyers/buyer-bidding.service';
import { CatalogService } from '../market/catalog.service';
import { CampaignProfile, SupplierProfile, VerticalProfile } from '../market/catalog.types';
import { MarketStateService } from '../market/market-state.service';
import { CampaignHealthService } from './campaign-health.service';
import { LeadEvent } from '../timeline/lead-events.service';

/** How a lead is to be sold: the bids in the order they are tried, exclusively or shared. */
export interface SalePlanOfLead {
  shared: boolean;
  bids: PlannedBid[];
  /** What the supplier gets if the plan sells as planned. */
  payout: Decimal;
}

/** One bid of the plan a lead is sold by, in the order bids are tried. */
export interface PlannedBid {
  campaignId: string;
  buyerId: string;
  price: Decimal;
  /** The buyer's own id for its bid, from its ping answer. */
  bidId: string | null;
  live: boolean;
}

export interface AuctionInput {
  /** Sent to live buyers as ping_id (for a direct post, the lead id). */
  pingId: string;
  /** What the campaigns' filters see (a direct post's filters may read every field). */
  lead: LeadView;
  /** Non-PII fields only: what live buyers are pinged with. */
  pingFields: Record<string, unknown>;
  vertical: VerticalProfile;
  supplier: SupplierProfile;
  /** The supplier's minimum payout for this lead, if it set one. */
  minPayout?: Decimal | null;
  /** Live buyers are not pinged (test leads). */
  fixedOnly?: boolean;
  /** When the request arrived (epoch ms): the auction's deadline counts from then, not from now. */
  arrivedAt?: number;
}

/**
 * The auction of one lead: eligible campaigns from memory, fixed bids as they stand, live bids from
 * the buyers' ping endpoints — all pinged at once, each under its own deadline, the whole under the
 * exchange's deadline — then ordered by the vertical's distribution mode above the floors, and
 * planned as one exclusive sale or a shared one, whichever is worth more.
 * Late, failed and malformed answers are no bid, and every ping is recorded for the timeline.
 */
@Injectable()
export class LiveAuctionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly market: MarketStateService,
    private readonly bidding: BuyerBiddingService,
    private readonly health: CampaignHealthService,
  ) {}

  async run(input: AuctionInput): Promise<{ plan: SalePlanOfLead; events: LeadEvent[] }> {
    const now = new Date();
    const { vertical, supplier } = input;
    const eligible = eligibleCampaigns(this.catalog.campaignsOf(vertical.key), input.lead, vertical.key, this.market.view(now, supplier.blockedBuyerIds));
    const bids: (RoutedBid & { bidId: string | null; live: boolean })[] = [];
    const routed = (c: CampaignProfile, price: Decimal, bidId: string | null, live: boolean) => ({
      campaignId: c.id, buyerId: c.buyerId, price, priority: c.priority, lastWonAt: c.lastWonAt, weight: c.weight,
      purchaseMode: c.purchaseMode, bidId, live,
    });
    const live: CampaignProfile[] = [];
    for (const c of eligible as CampaignProfile[]) {
      if (c.pingUrl) {
        if (!input.fixedOnly) live.push(c);
      } else if (c.bid) {
        bids.push(routed(c, c.bid, null, false));
      }
    }
    const events: LeadEvent[] = [];
    if (live.length) {
      const at = new Date();
      const outcomes = await this.bidding.pingAll(live, { pingId: input.pingId, vertical: vertical.key, fields: input.pingFields }, this.bidding.deadlineFrom(input.arrivedAt));
      live.forEach((c, i) => {
        const o = outcomes[i];
        const event: LeadEvent = { campaignId: c.id, kind: 'ping', outcome: o.kind, latencyMs: o.latencyMs, at };
        if (o.kind === 'bid') {
          bids.push(routed(c, o.price, o.bidId, true));
          Object.assign(event, { price: o.price, detail: o.bidId ? { bid_id: o.bidId } : null });
        } else if (o.kind !== 'no_bid') {
          event.detail = { reason: o.reason };
        }
        events.push(event);
      });
      this.health.observe(live, outcomes);
    }
    const terms = { payoutPercent: supplier.payoutPercent, fixedPayout: supplier.fixedPayout };
    const payoutOf = (price: Decimal) => computePayout(price, terms).payout;
    // the buyer's floor is on the price; the supplier's (its own floor, or min_price) on its payout
    const floor = Decimal.max(vertical.floorPrice, supplier.fixedPayout ?? 0);
    const minPayout = Decimal.max(input.minPayout ?? 0, supplier.floors.get(vertical.key) ?? 0);
    const ordered = orderBids(vertical.distributionMode, bids, floor).filter((b) => minPayout.isZero() || payoutOf(b.price).gte(minPayout));
    const chosen = planSale(ordered, vertical.maxSales);
    const planned = chosen.bids.map(({ campaignId, buyerId, price, bidId, live: isLive }) => ({ campaignId, buyerId, price, bidId, live: isLive }));
    const sales = chosen.shared ? Math.min(vertical.maxSales, planned.length) : Math.min(1, planned.length);
    const payout = planned.slice(0, sales).reduce((sum, b) => sum.plus(payoutOf(b.price)), new Decimal(0));
    return { plan: { shared: chosen.shared, bids: planned, payout }, events };
  }
}
