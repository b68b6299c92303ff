import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { LeadexConfig } from '@leadex/config';
import { BuyerBiddingService } from '../buyers/buyer-bidding.service';
import { SaleRequest, SaleService } from '../leads/sale.service';
import { CatalogService } from '../market/catalog.service';
import { CampaignProfile, SupplierProfile } from '../market/catalog.types';
import { LeadEvent } from '../timeline/lead-events.service';
import { CampaignHealthService } from './campaign-health.service';
import { PlannedBid, SalePlanOfLead } from './live-auction.service';

export interface LeadForSale {
  leadId: string;
  /** The ping the bids came from (for a direct post, the lead id). */
  pingId: string;
  vertical: string;
  supplier: SupplierProfile;
  /** All fields, PII included: this goes to the winning buyer's post endpoint. */
  fields: Record<string, unknown>;
  consent: Record<string, unknown> | null;
  idempotencyKeys: string[];
  /** The supplier's answer when the lead sells to `sales` buyers for this payout in all. */
  answer: (payout: Decimal, sales: number) => Record<string, unknown>;
}

/** What a lead sold for: how many sales, what buyers paid in all, what the supplier gets in all. */
export interface WaterfallResult {
  sales: number;
  price: Decimal;
  payout: Decimal;
}

/**
 * Sells a lead down its plan: each bid in order, until one sticks (exclusive) or until the vertical's
 * maximum of buyers bought it (shared, each paying its own bid). A campaign without a post endpoint is
 * sold in one step; one with a post endpoint is first held (caps, funds, the lead), then posted to the
 * buyer, then confirmed if the buyer accepts or released if it refuses, fails or is late.
 */
@Injectable()
export class WaterfallService {
  constructor(
    private readonly config: LeadexConfig,
    private readonly catalog: CatalogService,
    private readonly sales: SaleService,
    private readonly bidding: BuyerBiddingService,
    private readonly health: CampaignHealthService,
  ) {}

  async sell(lead: LeadForSale, plan: SalePlanOfLead, maxSales: number, events: LeadEvent[]): Promise<WaterfallResult> {
    const wanted = plan.shared ? maxSales : 1;
    const sold: WaterfallResult = { sales: 0, price: new Decimal(0), payout: new Decimal(0) };
    const buyers = new Set<string>(); // a buyer buys a lead once, whichever of its campaigns bid (sales_lead_buyer_key)
    for (const bid of plan.bids) {
      if (sold.sales >= wanted) break;
      if (buyers.has(bid.buyerId)) continue;
      const campaign = this.catalog.campaign(bid.campaignId);
      if (!campaign || !campaign.active) {
        events.push({ leadId: lead.leadId, campaignId: bid.campaignId, kind: 'sale', outcome: 'campaign_unavailable', at: new Date() });
        continue;
      }
      const req: SaleRequest = {
        leadId: lead.leadId,
        supplier: lead.supplier,
        campaign,
        price: bid.price,
        bidId: bid.bidId,
        idempotencyKeys: lead.idempotencyKeys,
        // one exclusive sale completes the answer with it; a shared lead is answered when its set is sold
        response: plan.shared ? () => null : (payout) => lead.answer(payout, 1),
      };
      const result = campaign.postUrl ? await this.holdPostConfirm(lead, bid, campaign, req, events) : await this.sales.reserve(req);
      // a sale is its own record (the timeline reads it from sales); only why a bid failed is an event
      if (result.sold) {
        buyers.add(bid.buyerId);
        sold.sales++;
        sold.price = sold.price.plus(result.price);
        sold.payout = sold.payout.plus(result.payout);
        continue;
      }
      events.push({ leadId: lead.leadId, campaignId: campaign.id, kind: 'sale', outcome: result.reason, price: bid.price, at: new Date() });
      if (result.reason === 'lead_unavailable') break;
    }
    return sold;
  }

  private async holdPostConfirm(lead: LeadForSale, bid: PlannedBid, campaign: CampaignProfile, req: SaleRequest, events: LeadEvent[]) {
    const held = await this.sales.hold(req);
    if (!held.sold) return held;
    const post: LeadEvent = { leadId: lead.leadId, campaignId: campaign.id, kind: 'post', outcome: 'rejected', at: new Date() };
    events.push(post);
    const answer = await this.bidding.post(
      campaign,
      { pingId: lead.pingId, bidId: bid.bidId, leadId: lead.leadId, vertical: lead.vertical, price: bid.price, fields: lead.fields, consent: lead.consent },
      { timeoutMs: Math.max(campaign.timeoutMs ?? 0, this.config.BUYER_POST_TIMEOUT_MS) },
    );
    // a post that timed out may have been taken by the buyer; the sale is not made, so it is not charged
    const accepted = answer.kind === 'accepted';
    this.health.record(campaign.id, answer.kind, 'reason' in answer ? answer.reason : null);
    Object.assign(post, { outcome: answer.kind, latencyMs: answer.latencyMs, detail: accepted ? null : { reason: answer.reason } });
    if (accepted) return this.sales.confirm(held, req);
    await this.sales.release(held, req);
    return { sold: false as const, reason: 'buyer_refused' as const };
  }
}
