import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { pgPoolOf } from '@leadex/persistence';

interface Tally {
  calls: number;
  onTime: number;
  /** Failures since the last success seen in this batch; `sawSuccess` says whether one was seen. */
  failuresInRow: number;
  sawSuccess: boolean;
  lastFailureReason: string | null;
}

/**
 * How each live campaign's endpoint answers: pings and posts counted in memory and written once a
 * second (not a row update per ping on a hot row), on-time rate and failures in a row kept in
 * campaign_health. A campaign whose endpoint fails CAMPAIGN_AUTO_PAUSE_FAILURES times in a row is
 * paused by the exchange with the reason, which its buyer sees; resuming it clears the reason.
 */
@Injectable()
export class CampaignHealthService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(CampaignHealthService.name);
  private readonly pool: Pool;
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly config: LeadexConfig) {
    this.pool = pgPoolOf(dataSource);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** One answer (or non-answer) of a campaign's endpoint. */
  record(campaignId: string, kind: string, reason?: string | null): void {
    const t = this.tallies.get(campaignId) ?? { calls: 0, onTime: 0, failuresInRow: 0, sawSuccess: false, lastFailureReason: null };
    t.calls++;
    if (kind !== 'timeout') t.onTime++;
    if (['timeout', 'error', 'refused', 'malformed'].includes(kind)) {
      t.failuresInRow++;
      t.lastFailureReason = `${kind}${reason ? `: ${reason}` : ''}`.slice(0, 300);
    } else {
      t.failuresInRow = 0;
      t.sawSuccess = true;
    }
    this.tallies.set(campaignId, t);
  }

  /** The outcomes of one auction's pings. */
  observe(campaigns: readonly { id: string }[], outcomes: readonly { kind: string; reason?: string }[]): void {
    campaigns.forEach((c, i) => this.record(c.id, outcomes[i].kind, outcomes[i].reason));
  }

  /** Writes the tallies and pauses the campaigns that kept failing; returns the paused ids. */
  async flush(): Promise<string[]> {
    if (!this.tallies.size) return [];
    const batch = [...this.tallies];
    this.tallies = new Map();
    try {
      const { rows } = await this.pool.query(
        `WITH t AS (
           SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::boolean[], $6::text[])
             AS t(campaign_id, calls, on_time, failures, saw_success, reason)
            WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = t.campaign_id)
         ), h AS (
           INSERT INTO campaign_health AS h (campaign_id, pings, on_time, consecutive_failures, last_failure_at, last_failure_reason, updated_at)
           SELECT campaign_id, calls, on_time, failures, CASE WHEN reason IS NOT NULL THEN now() END, reason, now() FROM t
           ON CONFLICT (campaign_id) DO UPDATE SET
             pings = h.pings + EXCLUDED.pings,
             on_time = h.on_time + EXCLUDED.on_time,
             consecutive_failures = CASE WHEN (SELECT saw_success FROM t WHERE t.campaign_id = h.campaign_id)
                                         THEN EXCLUDED.consecutive_failures
                                         ELSE h.consecutive_failures + EXCLUDED.consecutive_failures END,
             last_failure_at = coalesce(EXCLUDED.last_failure_at, h.last_failure_at),
             last_failure_reason = coalesce(EXCLUDED.last_failure_reason, h.last_failure_reason),
             updated_at = now()
           RETURNING campaign_id, consecutive_failures, last_failure_reason
         ), paused AS (
           UPDATE campaigns c SET status = 'PAUSED',
                  paused_reason = format('Paused by the exchange: %s failed answers in a row from your endpoint (last: %s). Fix it, then resume the campaign.',
                                         h.consecutive_failures, h.last_failure_reason)
             FROM h WHERE c.id = h.campaign_id AND h.consecutive_failures >= $7 AND c.status = 'ACTIVE'
           RETURNING c.id, c.buyer_id, c.name, c.paused_reason
         ), told AS (
           -- The buyer is told in the portal (and by email when it has a notify address).
           INSERT INTO notifications (buyer_id, kind, message, data)
           SELECT buyer_id, 'CAMPAIGN_AUTO_PAUSED', format('Campaign "%s": %s', name, paused_reason), jsonb_build_object('campaignId', id)
             FROM paused
         )
         SELECT id FROM paused`,
        [
          batch.map(([id]) => id),
          batch.map(([, t]) => t.calls),
          batch.map(([, t]) => t.onTime),
          batch.map(([, t]) => t.failuresInRow),
          batch.map(([, t]) => t.sawSuccess),
          batch.map(([, t]) => t.lastFailureReason),
          this.config.CAMPAIGN_AUTO_PAUSE_FAILURES,
        ],
      );
      for (const r of rows) this.log.warn(`campaign ${r.id} paused: its endpoint keeps failing`);
      return rows.map((r) => r.id);
    } catch (e) {
      this.log.error(`could not write campaign health: ${(e as Error).message}`);
      return [];
    }
  }
}
