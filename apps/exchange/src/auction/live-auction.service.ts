import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { Bid, computePayout, eligibleCampaigns, LeadView, rankBids } from '@leadex/auction-core';
import { BuyerBiddingService } from '../buyers/buyer-bidding.service';
import { CatalogService } from '../market/catalog.service';
import { CampaignProfile, SupplierProfile, VerticalProfile } from '../market/catalog.types';
import { MarketStateService } from '../market/market-state.service';
import { LeadEvent } from '../timeline/lead-events.service';

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
}

/**
 * The auction of one lead: eligible campaigns from memory, fixed bids as they stand, live bids from
 * the buyers' ping endpoints — all pinged at once, each under its own deadline, the whole under the
 * exchange's deadline — then ranked (price, least-recent winner, priority) above the floor.
 * Late, failed and malformed answers are no bid, and every ping is recorded for the timeline.
 */
@Injectable()
export class LiveAuctionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly market: MarketStateService,
    private readonly bidding: BuyerBiddingService,
  ) {}

  async run(input: AuctionInput): Promise<{ plan: PlannedBid[]; events: LeadEvent[] }> {
    const now = new Date();
    const { vertical, supplier } = input;
    const eligible = eligibleCampaigns(this.catalog.campaignsOf(vertical.key), input.lead, vertical.key, this.market.view(now, supplier.blockedBuyerIds));
    const bids: Bid[] = [];
    const bidIds = new Map<string, string | null>();
    const live: CampaignProfile[] = [];
    for (const c of eligible as CampaignProfile[]) {
      if (c.pingUrl) {
        if (!input.fixedOnly) live.push(c);
      } else if (c.bid) {
        bids.push({ campaignId: c.id, buyerId: c.buyerId, price: c.bid, priority: c.priority, lastWonAt: c.lastWonAt });
      }
    }
    const events: LeadEvent[] = [];
    if (live.length) {
      const at = new Date();
      const outcomes = await this.bidding.pingAll(live, { pingId: input.pingId, vertical: vertical.key, fields: input.pingFields }, this.bidding.deadlineFrom());
      live.forEach((c, i) => {
        const o = outcomes[i];
        const event: LeadEvent = { campaignId: c.id, kind: 'ping', outcome: o.kind, latencyMs: o.latencyMs, at };
        if (o.kind === 'bid') {
          bids.push({ campaignId: c.id, buyerId: c.buyerId, price: o.price, priority: c.priority, lastWonAt: c.lastWonAt });
          bidIds.set(c.id, o.bidId);
          Object.assign(event, { price: o.price, detail: o.bidId ? { bid_id: o.bidId } : null });
        } else if (o.kind !== 'no_bid') {
          event.detail = { reason: o.reason };
        }
        events.push(event);
      });
    }
    const floor = Decimal.max(vertical.floorPrice, supplier.fixedPayout ?? 0);
    let ranked = rankBids(bids, floor);
    if (input.minPayout) {
      const terms = { payoutPercent: supplier.payoutPercent, fixedPayout: supplier.fixedPayout };
      ranked = ranked.filter((b) => computePayout(b.price, terms).payout.gte(input.minPayout!));
    }
    const plan = ranked.map((b) => ({
      campaignId: b.campaignId,
      buyerId: b.buyerId,
      price: b.price,
      bidId: bidIds.get(b.campaignId) ?? null,
      live: bidIds.has(b.campaignId),
    }));
    return { plan, events };
  }
}
