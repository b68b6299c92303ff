import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@leadex/persistence';
import { VerticalProfile } from '../market/catalog.types';

export interface IncomingLead {
  supplierId: string;
  vertical: VerticalProfile;
  externalId: string | null;
  test: boolean;
  fields: Record<string, unknown>;
  consent: Record<string, unknown> | null;
  source: Record<string, unknown> | null;
  phoneKey: string | null;
  emailKey: string | null;
  requestHash: string;
  idempotencyKeys: string[];
  /** The ping this lead is the post of. */
  pingId?: string | null;
  /** Imposed status (expired, mismatch): stored as such, not deduplicated, not auctioned. */
  status?: 'expired' | 'mismatch';
}

export interface StoredLead {
  leadId: string;
  /** The original lead when this one is a duplicate of it. */
  duplicateOf: string | null;
}

/**
 * Stores an incoming lead and decides whether it is a duplicate, in one transaction.
 * Two copies arriving at the same instant serialize on advisory locks keyed by the vertical
 * and the normalized phone and email, so the second always sees the first (no read-then-insert race).
 * The stored row is duplicate, unsold (test leads) or processing (to be auctioned).
 */
@Injectable()
export class LeadIntakeService {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = pgPoolOf(dataSource);
  }

  async store(lead: IncomingLead): Promise<StoredLead> {
    const leadId = randomUUID();
    const checkDuplicates = !lead.test && !lead.status && lead.vertical.duplicateWindowDays > 0;
    const lockKeys = checkDuplicates
      ? [lead.phoneKey && `p|${lead.phoneKey}`, lead.emailKey && `e|${lead.emailKey}`]
          .filter((k): k is string => !!k)
          .map((k) => `${lead.vertical.key}|${k}`)
          .sort() // one order everywhere, so two locks never deadlock
      : [];
    // one round trip: locks, duplicate check, insert and idempotency in leadex_store_lead (see its migration)
    const { rows } = await this.pool.query(
      `SELECT leadex_store_lead($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) AS duplicate_of`,
      [
        leadId, lead.supplierId, lead.vertical.key, lead.externalId, lead.test, lead.fields, lead.consent, lead.source,
        lead.phoneKey, lead.emailKey, lead.vertical.duplicateWindowDays, lead.vertical.maxSales, lead.requestHash, lockKeys,
        lead.idempotencyKeys, lead.pingId ?? null, lead.status ?? null,
      ],
    );
    return { leadId, duplicateOf: rows[0].duplicate_of };
  }

  /**
   * Stores the supplier's answer with its idempotency keys, atomically: unsold when no bid took the
   * lead, or sold to several buyers once the shared set is complete.
   */
  async finish(leadId: string, supplierId: string, keys: string[], response: Record<string, unknown>): Promise<void> {
    await this.pool.query(
      `WITH lead AS (
         UPDATE leads SET status = CASE WHEN status = 'processing' THEN 'unsold' ELSE status END, response = $4
          WHERE id = $1 AND status IN ('processing', 'sold') RETURNING id)
       UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = $4
        WHERE supplier_id = $2 AND key = ANY($3) AND EXISTS (SELECT 1 FROM lead)`,
      [leadId, supplierId, keys, response],
    );
  }

  /** Leads left unanswered by a process that died mid-auction are closed: unsold, or sold as far as they got. */
  async closeAbandoned(olderThanMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH stuck AS (
         UPDATE leads SET status = CASE WHEN status = 'processing' THEN 'unsold' ELSE status END,
                response = CASE WHEN status = 'processing' THEN jsonb_build_object('lead_id', id, 'status', 'unsold', 'sales', 0)
                                ELSE jsonb_build_object('lead_id', id, 'status', 'sold', 'price', to_char(payout_total, 'FM999999999990.00'), 'sales', sales_count) END
          WHERE (status = 'processing' OR (status = 'sold' AND response IS NULL))
            AND created_at < now() - make_interval(secs => $1::double precision / 1000)
          RETURNING id, response)
       UPDATE idempotency_keys k SET state = 'done', response_status = 200, response_body = stuck.response
         FROM stuck WHERE k.lead_id = stuck.id AND k.state = 'running'
       RETURNING k.lead_id`,
      [olderThanMs],
    );
    return rows.length;
  }
}
