import { Injectable, Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { LeadexConfig } from '@leadex/config';
import { BuyerHttpClient } from './buyer-http.client';
import {
  BuyerPing,
  BuyerPost,
  BuyerTemplate,
  BuyerTemplateCache,
  buildPingBody,
  buildPostBody,
  CompiledTemplate,
  parsePingAnswer,
  parsePostAnswer,
} from '@leadex/buyer-protocol';

/** What live bidding needs of a campaign row. */
export interface LiveBiddingCampaign {
  id: string;
  pingUrl: string | null;
  postUrl: string | null;
  /** The campaign's own ping deadline; null = BUYER_PING_TIMEOUT_MS. */
  timeoutMs: number | null;
  /** The campaign's wire template; null = the contract's default format. */
  template: BuyerTemplate | null;
}

/** Why a buyer's answer did not become a bid or a decision; each counts as no bid (or no sale) and is recorded. */
export type BuyerFailure = { kind: 'timeout' | 'error' | 'refused' | 'malformed'; reason: string };

export type PingOutcome = { campaignId: string; latencyMs: number } & (
  | { kind: 'bid'; price: Decimal; bidId: string | null }
  | { kind: 'no_bid' }
  | BuyerFailure
);

export type PostOutcome = { campaignId: string; latencyMs: number } & (
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string | null }
  | BuyerFailure
);

/** Slack after the auction deadline for the calls' own aborts to report before pingAll reports for them. */
const DEADLINE_GRACE_MS = 5;

/**
 * Live bidding: pings campaigns' buyers concurrently, each under its own deadline and all under the
 * auction's, reads their answers in the campaign's wire format, and posts the sold lead to the winner.
 * Never throws for a buyer's sake: every outcome is a value the auction counts and records.
 */
@Injectable()
export class BuyerBiddingService {
  private readonly log = new Logger(BuyerBiddingService.name);
  private readonly templates = new BuyerTemplateCache();

  constructor(
    private readonly config: LeadexConfig,
    private readonly http: BuyerHttpClient,
  ) {}

  /** Epoch ms by which an auction for a lead that arrived at `arrivedAt` must answer. */
  deadlineFrom(arrivedAt: number = Date.now()): number {
    return arrivedAt + this.config.AUCTION_DEADLINE_MS;
  }

  /** Pings every campaign at once; resolves by `deadline` (plus a few ms) with one outcome per campaign, in order. */
  async pingAll(campaigns: readonly LiveBiddingCampaign[], ping: BuyerPing, deadline: number): Promise<PingOutcome[]> {
    const started = Date.now();
    const outcomes: (PingOutcome | undefined)[] = new Array(campaigns.length);
    const all = Promise.all(campaigns.map((c, i) => this.ping(c, ping, deadline).then((o) => (outcomes[i] = o))));
    let timer: NodeJS.Timeout | undefined;
    // The calls abort at the deadline themselves; this also bounds template evaluation around them.
    const cutoff = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + DEADLINE_GRACE_MS)));
    await Promise.race([all, cutoff]);
    clearTimeout(timer);
    return campaigns.map(
      (c, i) =>
        outcomes[i] ?? { campaignId: c.id, kind: 'timeout', reason: 'no answer by the auction deadline', latencyMs: Date.now() - started },
    );
  }

  /** Pings one campaign's buyer. `deadline` is the auction's (epoch ms). */
  async ping(campaign: LiveBiddingCampaign, ping: BuyerPing, deadline: number): Promise<PingOutcome> {
    const outcome = await this.pingOnce(campaign, ping, deadline);
    if (outcome.kind !== 'bid' && outcome.kind !== 'no_bid') {
      this.log.debug(`ping ${ping.pingId} campaign ${campaign.id}: ${outcome.kind} (${outcome.reason}) after ${outcome.latencyMs} ms`);
    }
    return outcome;
  }

  /** Posts the sold lead to the campaign's postUrl and reads the buyer's decision. */
  async post(campaign: LiveBiddingCampaign, post: BuyerPost, opts: { timeoutMs?: number; deadline?: number } = {}): Promise<PostOutcome> {
    const outcome = await this.postOnce(campaign, post, opts);
    if (outcome.kind !== 'accepted') {
      const reason = 'reason' in outcome ? ` (${outcome.reason})` : '';
      this.log.debug(`post lead ${post.leadId} campaign ${campaign.id}: ${outcome.kind}${reason} after ${outcome.latencyMs} ms`);
    }
    return outcome;
  }

  /** The campaign's compiled template (cached), null for the default format; throws TemplateError. */
  templateOf(campaign: LiveBiddingCampaign): CompiledTemplate | null {
    return this.templates.get(campaign.template);
  }

  private async pingOnce(campaign: LiveBiddingCampaign, ping: BuyerPing, deadline: number): Promise<PingOutcome> {
    const campaignId = campaign.id;
    if (!campaign.pingUrl) return { campaignId, kind: 'error', reason: 'campaign has no pingUrl', latencyMs: 0 };
    let template: CompiledTemplate | null;
    let body: unknown;
    try {
      template = this.templateOf(campaign);
      body = await buildPingBody(template, ping);
    } catch (e) {
      return { campaignId, kind: 'error', reason: (e as Error).message, latencyMs: 0 };
    }
    const call = await this.http.post(campaign.pingUrl, body, {
      timeoutMs: campaign.timeoutMs ?? this.config.BUYER_PING_TIMEOUT_MS,
      deadline,
      headers: template?.headers,
    });
    if (call.outcome !== 'ok') return { campaignId, kind: call.outcome, reason: call.reason, latencyMs: call.latencyMs };
    const answer = await parsePingAnswer(template, call.status, call.body);
    return { campaignId, latencyMs: call.latencyMs, ...answer };
  }

  private async postOnce(campaign: LiveBiddingCampaign, post: BuyerPost, opts: { timeoutMs?: number; deadline?: number }): Promise<PostOutcome> {
    const campaignId = campaign.id;
    if (!campaign.postUrl) return { campaignId, kind: 'error', reason: 'campaign has no postUrl', latencyMs: 0 };
    let template: CompiledTemplate | null;
    let body: unknown;
    try {
      template = this.templateOf(campaign);
      body = await buildPostBody(template, post);
    } catch (e) {
      return { campaignId, kind: 'error', reason: (e as Error).message, latencyMs: 0 };
    }
    const call = await this.http.post(campaign.postUrl, body, {
      timeoutMs: opts.timeoutMs ?? this.config.BUYER_POST_TIMEOUT_MS,
      deadline: opts.deadline,
      headers: template?.headers,
    });
    if (call.outcome !== 'ok') return { campaignId, kind: call.outcome, reason: call.reason, latencyMs: call.latencyMs };
    const answer = await parsePostAnswer(template, call.status, call.body);
    return { campaignId, latencyMs: call.latencyMs, ...answer };
  }
}
