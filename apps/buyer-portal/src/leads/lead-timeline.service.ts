import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { TimelineEventModel } from './lead.output';

/** A lead whose timeline is asked for: its id and the ping it was the post of. */
export interface TimelineSubject {
  leadId: string;
  pingId: string | null;
}

interface EventRow {
  subject: string;
  at: Date;
  kind: string;
  outcome: string;
  campaign_id: string | null;
  latency_ms: number | null;
  price: string | null;
  detail: Record<string, unknown> | null;
  /** The buyer of the event's campaign (or sale); null when it names none. */
  buyer_id: string | null;
}

/**
 * Leads' timelines by the exchange's rule (LeadEventsService.timeline): the lead_events of the lead or of
 * the ping it was the post of, plus its sales from the sales table ('sold', 'held' while PENDING,
 * 'returned'), in time order, a sale after the events of the same instant. Many leads in one query.
 */
@Injectable()
export class LeadTimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async timelines(subjects: readonly TimelineSubject[], viewer: AuthUser): Promise<Map<string, TimelineEventModel[]>> {
    const out = new Map<string, TimelineEventModel[]>();
    if (!subjects.length) return out;
    // Two event branches so each uses its index; the second skips rows the first already has.
    const rows: EventRow[] = await this.dataSource.query(
      `WITH subject AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS t(lead_id, ping_id))
       SELECT s.lead_id AS subject, e.created_at AS at, e.kind, e.outcome, e.campaign_id, e.latency_ms, e.price::text AS price,
              e.detail, e.id AS seq, c.buyer_id
         FROM subject s JOIN lead_events e ON e.lead_id = s.lead_id
         LEFT JOIN campaigns c ON c.id = e.campaign_id
       UNION ALL
       SELECT s.lead_id, e.created_at, e.kind, e.outcome, e.campaign_id, e.latency_ms, e.price::text, e.detail, e.id, c.buyer_id
         FROM subject s JOIN lead_events e ON e.ping_id = s.ping_id AND e.lead_id IS DISTINCT FROM s.lead_id
         LEFT JOIN campaigns c ON c.id = e.campaign_id
       UNION ALL
       SELECT sa.lead_id, sa.sold_at, 'sale', CASE WHEN sa.status = 'PENDING' THEN 'held' ELSE lower(sa.status) END,
              sa.campaign_id, NULL, sa.price::text, NULL, 9223372036854775807, sa.buyer_id
         FROM sales sa WHERE sa.lead_id = ANY($1::uuid[])
       ORDER BY 1, 2, 9`,
      [subjects.map((s) => s.leadId), subjects.map((s) => s.pingId)],
    );
    for (const r of rows) {
      const list = out.get(r.subject) ?? [];
      list.push(this.shown(r, viewer));
      out.set(r.subject, list);
    }
    return out;
  }

  /**
   * What the viewer may see of an event. A BUYER must not learn competitors' bids: an event not about one
   * of its own campaigns keeps its time, kind, outcome and latency, but no campaign, price or detail.
   */
  private shown(r: EventRow, viewer: AuthUser): TimelineEventModel {
    const full = viewer.role !== Role.BUYER || (r.buyer_id !== null && r.buyer_id === viewer.buyerId);
    return {
      at: r.at,
      kind: r.kind,
      outcome: r.outcome,
      campaignId: full ? r.campaign_id : null,
      latencyMs: r.latency_ms,
      price: full && r.price !== null ? new Decimal(r.price) : null,
      detail: full ? r.detail : null,
    };
  }
}
