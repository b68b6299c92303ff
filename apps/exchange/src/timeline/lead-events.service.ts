import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { formatMoney } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { pgPoolOf } from '@leadex/persistence';

/** One step of a lead's life: a ping sent and its answer, a post and the buyer's answer, a sale. */
export interface LeadEvent {
  leadId?: string | null;
  pingId?: string | null;
  campaignId?: string | null;
  kind: 'ping' | 'post' | 'sale' | 'note';
  /** bid, no_bid, timeout, error, malformed, refused, accepted, rejected, sold, cap_reached... */
  outcome: string;
  latencyMs?: number | null;
  price?: Decimal | null;
  /** PII-free detail, e.g. the reason a buyer gave. */
  detail?: Record<string, unknown> | null;
  /** When it happened (events are written after the answer, so the write time would mislead). */
  at: Date;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  outcome: string;
  campaign_id: string | null;
  latency_ms: number | null;
  price: string | null;
  detail: Record<string, unknown> | null;
}

/** The audit timeline, written in one statement per auction and read back per lead. */
@Injectable()
export class LeadEventsService implements OnApplicationShutdown {
  private readonly log = new Logger(LeadEventsService.name);
  private readonly pool: Pool;
  private buffer: LeadEvent[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly config: LeadexConfig) {
    this.pool = pgPoolOf(dataSource);
  }

  async record(events: LeadEvent[]): Promise<void> {
    if (!events.length) return;
    const col = <T>(f: (e: LeadEvent) => T) => events.map(f);
    await this.pool.query(
      `INSERT INTO lead_events (lead_id, ping_id, campaign_id, kind, outcome, latency_ms, price, detail, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::numeric[], $8::jsonb[], $9::timestamptz[])`,
      [
        col((e) => e.leadId ?? null),
        col((e) => e.pingId ?? null),
        col((e) => e.campaignId ?? null),
        col((e) => e.kind),
        col((e) => e.outcome),
        col((e) => (e.latencyMs === null || e.latencyMs === undefined ? null : Math.round(e.latencyMs))),
        col((e) => (e.price ? e.price.toFixed(2) : null)),
        col((e) => (e.detail ? JSON.stringify(e.detail) : null)),
        col((e) => e.at),
      ],
    );
  }

  /**
   * Records without making the caller wait or fail: the timeline must never cost a sale. Events are
   * gathered and written in one statement every EVENTS_FLUSH_MS (or at 1,000 rows), so a busy exchange
   * spends one round trip per batch, not one per lead, of the pool its answers need.
   */
  recordLater(events: LeadEvent[]): void {
    if (!events.length) return;
    this.buffer.push(...events);
    if (this.buffer.length >= 1000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.config.EVENTS_FLUSH_MS);
  }

  /** Writes what is waiting (also on shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    await this.record(batch).catch((e) => this.log.error(`could not record ${batch.length} timeline events: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** A lead's timeline, including the ping it was the post of (leadex_lead_timeline, shared with the portal). */
  async timeline(leadId: string, pingId: string | null): Promise<TimelineEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT at, kind, outcome, campaign_id, latency_ms, price, detail FROM leadex_lead_timeline(ARRAY[$1::uuid], ARRAY[$2::uuid])`,
      [leadId, pingId],
    );
    return rows.map((r) => ({
      at: r.at.toISOString(),
      kind: r.kind,
      outcome: r.outcome,
      campaign_id: r.campaign_id,
      latency_ms: r.latency_ms,
      price: r.price === null ? null : formatMoney(r.price),
      detail: r.detail,
    }));
  }
}
