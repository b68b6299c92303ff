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

/** Leads' timelines (the database's leadex_lead_timeline, shared with the exchange), many leads in one query. */
@Injectable()
export class LeadTimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async timelines(subjects: readonly TimelineSubject[], viewer: AuthUser): Promise<Map<string, TimelineEventModel[]>> {
    const out = new Map<string, TimelineEventModel[]>();
    if (!subjects.length) return out;
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT subject, at, kind, outcome, campaign_id, latency_ms, price::text AS price, detail, buyer_id
         FROM leadex_lead_timeline($1::uuid[], $2::uuid[])`,
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
