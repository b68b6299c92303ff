import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DeliveryJob } from '@leadex/contracts';
import { pgPoolOf } from '@leadex/persistence';
import { BuyerHttpClient } from '../buyers/buyer-http.client';
import { DeliveredSale, DeliveryTarget, leadEmail, webhookBody, webhookHeaders } from './delivery-message.util';
import { EmailSender } from './email.sender';
import { afterFailure, RetryPolicy } from './retry-policy.util';

/** What one attempt came to. */
export interface AttemptResult {
  delivered: boolean;
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  snippet: string | null;
  error: string | null;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'stale';

interface ClaimedDelivery {
  id: string;
  kind: 'LEAD' | 'POSTBACK';
  event: 'sold' | 'returned';
  method: 'WEBHOOK' | 'EMAIL';
  target: DeliveryTarget;
  attempts: number;
  window_started_at: Date;
  sale_id: string;
}

const SNIPPET_CHARS = 500;

/**
 * Makes one delivery attempt for a job: claims the row (only the newest enqueueing of a QUEUED row
 * may run, and it extends the lease), sends the webhook or email, then records the attempt and the
 * outcome in one transaction: DELIVERED on a 2xx (or an SMTP accept), otherwise a retry with backoff,
 * or FAILED once the retry window is over — which tells the buyer (or, for a postback, the operator).
 */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger(DeliveryService.name);
  private readonly pool: Pool;
  private readonly policy: RetryPolicy;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
    private readonly http: BuyerHttpClient,
    private readonly email: EmailSender,
  ) {
    this.pool = pgPoolOf(dataSource);
    this.policy = { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS, windowMs: config.DELIVERY_RETRY_WINDOW_MS };
  }

  async run(job: DeliveryJob): Promise<DeliveryOutcome> {
    const claimed = await this.claim(job);
    if (!claimed) return 'stale';
    const sale = await this.loadSale(claimed);
    const result = await this.attempt(claimed, sale);
    return this.record(job, claimed, result);
  }

  private async claim(job: DeliveryJob): Promise<ClaimedDelivery | null> {
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `UPDATE deliveries SET next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 AND status = 'QUEUED' AND enqueue_seq = $2
       RETURNING id, kind, event, method, target, attempts, window_started_at, sale_id`,
      [job.deliveryId, job.seq, this.config.DELIVERY_LEASE_MS],
    );
    return rows[0] ?? null;
  }

  private async loadSale(d: ClaimedDelivery): Promise<DeliveredSale> {
    const { rows } = await this.pool.query(
      `SELECT l.id AS lead_id, l.ping_id, s.bid_id, l.external_id, l.source->>'sub_id' AS sub_id, l.vertical_key,
              s.price::text AS price, s.payout::text AS payout, s.sold_at, c.name AS campaign_name, l.fields, l.consent
         FROM sales s JOIN leads l ON l.id = s.lead_id JOIN campaigns c ON c.id = s.campaign_id
        WHERE s.id = $1`,
      [d.sale_id],
    );
    const r = rows[0];
    return {
      deliveryId: d.id, kind: d.kind, event: d.event, leadId: r.lead_id, pingId: r.ping_id, bidId: r.bid_id,
      externalId: r.external_id, subId: r.sub_id, vertical: r.vertical_key, price: r.price, payout: r.payout,
      soldAt: r.sold_at, campaignName: r.campaign_name, fields: r.fields, consent: r.consent,
    };
  }

  /** Sends once; never throws. */
  async attempt(d: ClaimedDelivery, sale: DeliveredSale): Promise<AttemptResult> {
    const startedAt = new Date();
    const began = performance.now();
    const done = (part: Omit<AttemptResult, 'startedAt' | 'latencyMs'>): AttemptResult => ({ ...part, startedAt, latencyMs: Math.round(performance.now() - began) });
    try {
      if (d.method === 'EMAIL') {
        const mail = leadEmail(sale);
        const answer = await this.email.send({
          to: d.target.email ?? '',
          subject: mail.subject,
          text: mail.text,
          messageId: `<${d.id}@leadex>`,
          headers: { 'X-Leadex-Delivery-Id': d.id },
        });
        return done({ delivered: true, statusCode: null, snippet: answer.slice(0, SNIPPET_CHARS), error: null });
      }
      const body = await webhookBody(sale, d.target);
      const res = await this.http.post(d.target.url ?? '', body, {
        timeoutMs: this.config.DELIVERY_TIMEOUT_MS,
        headers: webhookHeaders(sale, d.target),
        keepFirst: SNIPPET_CHARS,
      });
      if (res.outcome !== 'ok') return done({ delivered: false, statusCode: null, snippet: null, error: `${res.outcome}: ${res.reason}` });
      const delivered = res.status >= 200 && res.status < 300;
      return done({ delivered, statusCode: res.status, snippet: res.body.slice(0, SNIPPET_CHARS), error: delivered ? null : `HTTP ${res.status}` });
    } catch (e) {
      return done({ delivered: false, statusCode: null, snippet: null, error: (e as Error).message.slice(0, 1000) });
    }
  }

  /**
   * The attempt, the row's new state and, when it failed for good, the notice — one statement, so
   * one implicit transaction that holds its row locks for no round trip to this process.
   * Only the newest enqueueing moves the row on (a stale one — its lease ran out and the row was
   * queued again — just logs its attempt); a success is final whoever made it. A failed lead
   * delivery is told to its buyer, a failed supplier postback to the operators (no buyer).
   */
  private async record(job: DeliveryJob, d: ClaimedDelivery, r: AttemptResult): Promise<DeliveryOutcome> {
    const attempts = d.attempts + 1;
    const next = r.delivered ? null : afterFailure(attempts, new Date(d.window_started_at), new Date(), this.policy);
    const outcome: DeliveryOutcome = r.delivered ? 'delivered' : next?.kind === 'fail' ? 'failed' : 'retry';
    const status = r.delivered ? 'DELIVERED' : outcome === 'failed' ? 'FAILED' : 'PENDING';
    await this.pool.query(
      `WITH moved AS (
         UPDATE deliveries SET attempts = attempts + 1, last_error = $3,
                status = $4, delivered_at = CASE WHEN $4 = 'DELIVERED' THEN now() END,
                failed_at = CASE WHEN $4 = 'FAILED' THEN now() END,
                next_attempt_at = coalesce($5, next_attempt_at)
          WHERE id = $1 AND status <> 'DELIVERED' AND ($4 = 'DELIVERED' OR (status = 'QUEUED' AND enqueue_seq = $2))
         RETURNING *
       ), attempt AS (
         INSERT INTO delivery_attempts (delivery_id, attempt, started_at, latency_ms, outcome, status_code, response_snippet, error)
         VALUES ($1, $6, $7, $8, CASE WHEN $4 = 'DELIVERED' THEN 'DELIVERED' ELSE 'FAILED' END, $9, $10, $3)
       )
       INSERT INTO notifications (buyer_id, kind, message, data, dedupe_key)
       SELECT CASE WHEN m.kind = 'LEAD' THEN m.buyer_id END, 'DELIVERY_FAILED',
              CASE WHEN m.kind = 'LEAD'
                   THEN format('Lead %s could not be delivered to campaign "%s" by %s after %s attempts (last: %s). Fix the endpoint, then redeliver it.',
                               m.lead_id, c.name, lower(m.method), m.attempts, left($3, 300))
                   ELSE format('The %s postback of lead %s to supplier %s failed after %s attempts (last: %s).', m.event, m.lead_id, m.supplier_id, m.attempts, left($3, 300)) END,
              jsonb_build_object('deliveryId', m.id, 'leadId', m.lead_id, 'campaignId', m.campaign_id, 'kind', m.kind),
              m.id::text || ':' || m.window_started_at::text
         FROM moved m JOIN campaigns c ON c.id = m.campaign_id WHERE m.status = 'FAILED'
       ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
      [d.id, job.seq, r.error?.slice(0, 1000) ?? null, status, next?.kind === 'retry' ? next.at : null, attempts, r.startedAt, r.latencyMs, r.statusCode, r.snippet],
    );
    if (outcome === 'failed') this.log.warn(`delivery ${d.id} failed after ${attempts} attempts: ${r.error}`);
    return outcome;
  }
}
