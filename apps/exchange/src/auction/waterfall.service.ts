import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { LeadexConfig } from '@leadex/config';
import { BuyerBiddingService } from '../buyers/buyer-bidding.service';
import { SaleRequest, SaleService } from '../leads/sale.service';
import { CatalogService } from '../market/catalog.service';
import { CampaignProfile, SupplierProfile } from '../market/catalog.types';
import { LeadEvent } from '../timeline/lead-events.service';
import { PlannedBid } from './live-auction.service';

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
  /** The supplier's answer when the lead sells at this payout. */
  answer: (payout: Decimal) => Record<string, unknown>;
}

export type WaterfallResult = { sold: true; price: Decimal; payout: Decimal; campaignId: string } | { sold: false };

/**
 * Sells a lead down its plan: each bid in order, until one sticks. A campaign without a post
 * endpoint is sold in one step; one with a post endpoint is first held (caps, funds, the lead), then
 * posted to the buyer, then confirmed if the buyer accepts or released if it refuses, fails or is late.
 */
@Injectable()
export class WaterfallService {
  constructor(
    private readonly config: LeadexConfig,
    private readonly catalog: CatalogService,
    private readonly sales: SaleService,
    private readonly bidding: BuyerBiddingService,
  ) {}

  async sell(lead: LeadForSale, plan: PlannedBid[], events: LeadEvent[]): Promise<WaterfallResult> {
    for (const bid of plan) {
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
        response: lead.answer,
      };
      const result = campaign.postUrl ? await this.holdPostConfirm(lead, bid, campaign, req, events) : await this.sales.reserve(req);
      // a sale is its own record (the timeline reads it from sales); only why a bid failed is an event
      if (result.sold) return { sold: true, price: result.price, payout: result.payout, campaignId: campaign.id };
      events.push({ leadId: lead.leadId, campaignId: campaign.id, kind: 'sale', outcome: result.reason, price: bid.price, at: new Date() });
      if (result.reason === 'lead_unavailable') break;
    }
    return { sold: false };
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
    Object.assign(post, { outcome: answer.kind, latencyMs: answer.latencyMs, detail: accepted ? null : { reason: answer.reason } });
    if (accepted) return this.sales.confirm(held, req);
    await this.sales.release(held, req);
    return { sold: false as const, reason: 'buyer_refused' as const };
  }
}
