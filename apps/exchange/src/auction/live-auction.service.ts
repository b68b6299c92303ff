import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { Bid, computePayout, eligibleCampaigns, LeadView, rankBids } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { BuyerHttpClient } from '../buyers/buyer-http.client';
import { buildPingBody, parsePingAnswer } from '../buyers/buyer-wire-format';
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
    private readonly config: LeadexConfig,
    private readonly catalog: CatalogService,
    private readonly market: MarketStateService,
    private readonly http: BuyerHttpClient,
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
      const deadline = Date.now() + this.config.AUCTION_DEADLINE_MS;
      const answers = await Promise.all(live.map((c) => this.ping(c, input, deadline)));
      for (const a of answers) {
        events.push(a.event);
        if (a.bid) {
          bids.push(a.bid);
          bidIds.set(a.bid.campaignId, a.bidId);
        }
      }
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

  private async ping(c: CampaignProfile, input: AuctionInput, deadline: number): Promise<{ bid: Bid | null; bidId: string | null; event: LeadEvent }> {
    const event: LeadEvent = { campaignId: c.id, kind: 'ping', outcome: 'no_bid', at: new Date() };
    const body = await buildPingBody(c.template, { pingId: input.pingId, vertical: input.vertical.key, fields: input.pingFields }).catch(
      (e: Error) => e,
    );
    if (body instanceof Error) return { bid: null, bidId: null, event: { ...event, outcome: 'error', detail: { reason: body.message } } };
    const result = await this.http.post(c.pingUrl!, body, {
      timeoutMs: c.timeoutMs ?? this.config.BUYER_PING_TIMEOUT_MS,
      headers: c.template?.headers,
      deadline,
    });
    event.latencyMs = result.latencyMs;
    if (result.outcome !== 'ok') return { bid: null, bidId: null, event: { ...event, outcome: result.outcome, detail: { reason: result.reason } } };
    const answer = await parsePingAnswer(c.template, result.status, result.body);
    if (answer.kind === 'malformed') return { bid: null, bidId: null, event: { ...event, outcome: 'malformed', detail: { reason: answer.reason } } };
    if (answer.kind === 'no_bid') return { bid: null, bidId: null, event };
    return {
      bid: { campaignId: c.id, buyerId: c.buyerId, price: answer.price, priority: c.priority, lastWonAt: c.lastWonAt },
      bidId: answer.bidId,
      event: { ...event, outcome: 'bid', price: answer.price, detail: answer.bidId ? { bid_id: answer.bidId } : null },
    };
  }
}
