import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { LeadStatus } from '@leadex/contracts';
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
}

export interface StoredLead {
  leadId: string;
  /** The original lead when this one is a duplicate of it. */
  duplicateOf: string | null;
}

/** Runs `work` in one transaction on a pooled connection. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Stores an incoming lead and decides whether it is a duplicate, in one transaction.
 * Two copies arriving at the same instant serialize on advisory locks keyed by the vertical
 * and the normalized phone and email, so the second always sees the first (no read-then-insert race).
 */
@Injectable()
export class LeadIntakeService {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = pgPoolOf(dataSource);
  }

  store(lead: IncomingLead): Promise<StoredLead> {
    const leadId = randomUUID();
    const checkDuplicates = !lead.test && lead.vertical.duplicateWindowDays > 0 && (lead.phoneKey || lead.emailKey);
    return inTransaction(this.pool, async (client) => {
      let duplicateOf: string | null = null;
      if (checkDuplicates) {
        const lockKeys = [lead.phoneKey && `p|${lead.phoneKey}`, lead.emailKey && `e|${lead.emailKey}`]
          .filter((k): k is string => !!k)
          .map((k) => `${lead.vertical.key}|${k}`)
          .sort(); // one order everywhere, so two locks never deadlock
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`, [lockKeys]);
        const dup = await client.query(
          `SELECT id FROM leads
            WHERE vertical_key = $1 AND NOT test AND status <> 'duplicate'
              AND created_at > now() - make_interval(days => $4)
              AND (phone_key = $2 OR email_key = $3)
            ORDER BY created_at LIMIT 1`,
          [lead.vertical.key, lead.phoneKey, lead.emailKey, lead.vertical.duplicateWindowDays],
        );
        duplicateOf = dup.rows[0]?.id ?? null;
      }
      const status = duplicateOf ? LeadStatus.DUPLICATE : lead.test ? LeadStatus.UNSOLD : LeadStatus.PROCESSING;
      const response = status === LeadStatus.PROCESSING ? null : { lead_id: leadId, status, sales: 0 };
      await client.query(
        `INSERT INTO leads (id, supplier_id, vertical_key, external_id, test, status, fields, consent, source,
                            phone_key, email_key, duplicate_of, max_sales, request_hash, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          leadId, lead.supplierId, lead.vertical.key, lead.externalId, lead.test, status, lead.fields, lead.consent, lead.source,
          lead.phoneKey, lead.emailKey, duplicateOf, lead.vertical.maxSales, lead.requestHash, response,
        ],
      );
      if (lead.idempotencyKeys.length) {
        await client.query(
          `UPDATE idempotency_keys
              SET lead_id = $3,
                  state = CASE WHEN $4::jsonb IS NULL THEN state ELSE 'done' END,
                  response_status = CASE WHEN $4::jsonb IS NULL THEN NULL ELSE 200 END,
                  response_body = $4::jsonb
            WHERE supplier_id = $1 AND key = ANY($2)`,
          [lead.supplierId, lead.idempotencyKeys, leadId, response],
        );
      }
      return { leadId, duplicateOf };
    });
  }

  /** No bid could take the lead: it is answered unsold, with its idempotency keys, atomically. */
  async finishUnsold(leadId: string, supplierId: string, keys: string[], response: Record<string, unknown>): Promise<void> {
    await this.pool.query(
      `WITH lead AS (UPDATE leads SET status = 'unsold', response = $4 WHERE id = $1 AND status = 'processing' RETURNING id)
       UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = $4
        WHERE supplier_id = $2 AND key = ANY($3) AND EXISTS (SELECT 1 FROM lead)`,
      [leadId, supplierId, keys, response],
    );
  }

  /** Leads left "processing" by a process that died mid-auction are closed as unsold. */
  async closeAbandoned(olderThanMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH stuck AS (
         UPDATE leads SET status = 'unsold', response = jsonb_build_object('lead_id', id, 'status', 'unsold', 'sales', 0)
          WHERE status = 'processing' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
          RETURNING id, response)
       UPDATE idempotency_keys k SET state = 'done', response_status = 200, response_body = stuck.response
         FROM stuck WHERE k.lead_id = stuck.id AND k.state = 'running'
       RETURNING k.lead_id`,
      [olderThanMs],
    );
    return rows.length;
  }
}
