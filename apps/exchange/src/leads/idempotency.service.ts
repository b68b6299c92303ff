import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { pgPoolOf } from '@leadex/persistence';

/** An idempotency key of a supplier: from the Idempotency-Key header, or its external_id (kept forever). */
export interface IdempotencyKey {
  key: string;
  permanent: boolean;
}

export type IdempotencyClaim =
  | { kind: 'claimed'; keys: string[] }
  | { kind: 'replay'; status: number; body: Record<string, unknown> };

/**
 * Idempotency kept in PostgreSQL: a request claims its keys before anything is written; the
 * sale (or the unsold/duplicate answer) marks them done with the response in the same transaction,
 * so a replay returns exactly what the first request answered and never sells a lead twice.
 */
@Injectable()
export class IdempotencyService {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly config: LeadexConfig) {
    this.pool = pgPoolOf(dataSource);
  }

  /** `scope` keeps a ping's external_id apart from the lead's, which its post may repeat. */
  static keysFor(header: string | undefined, externalId: string | undefined | null, scope = ''): IdempotencyKey[] {
    const keys: IdempotencyKey[] = [];
    if (header !== undefined) keys.push({ key: `header:${header}`, permanent: false });
    if (externalId) keys.push({ key: `${scope}external_id:${externalId}`, permanent: true });
    return keys;
  }

  static validateHeader(header: string | string[] | undefined): string | undefined {
    if (header === undefined) return undefined;
    const value = Array.isArray(header) ? header[0] : header;
    if (!value || value.length > 255) {
      throw DomainException.validation([{ field: 'Idempotency-Key', message: 'must be a non-empty string of at most 255 characters' }]);
    }
    return value;
  }

  async claim(supplierId: string, keys: IdempotencyKey[], endpoint: string, hash: string): Promise<IdempotencyClaim> {
    if (!keys.length) return { kind: 'claimed', keys: [] };
    const ttlHours = this.config.IDEMPOTENCY_TTL_HOURS;
    const staleMs = this.config.IDEMPOTENCY_STALE_MS;
    // An expired key, or one abandoned by a crashed request before it stored anything, is taken over.
    const { rows } = await this.pool.query(
      `INSERT INTO idempotency_keys AS k (supplier_id, key, endpoint, request_hash, state, expires_at)
       SELECT $1, key, $3, $4, 'running',
              CASE WHEN permanent THEN 'infinity'::timestamptz ELSE now() + make_interval(hours => $5) END
         FROM unnest($2::text[], $6::boolean[]) AS t(key, permanent)
       ON CONFLICT (supplier_id, key) DO UPDATE
          SET endpoint = EXCLUDED.endpoint, request_hash = EXCLUDED.request_hash, state = 'running',
              response_status = NULL, response_body = NULL, lead_id = NULL,
              created_at = now(), locked_at = now(), expires_at = EXCLUDED.expires_at
        WHERE k.expires_at < now()
           OR (k.state = 'running' AND k.lead_id IS NULL AND k.locked_at < now() - make_interval(secs => $7::double precision / 1000))
       RETURNING key`,
      [supplierId, keys.map((k) => k.key), endpoint, hash, ttlHours, keys.map((k) => k.permanent), staleMs],
    );
    const claimed = rows.map((r) => r.key as string);
    if (claimed.length === keys.length) return { kind: 'claimed', keys: claimed };

    await this.release(supplierId, claimed);
    const taken = keys.find((k) => !claimed.includes(k.key))!;
    const existing = await this.pool.query(
      `SELECT endpoint, request_hash, state, response_status, response_body FROM idempotency_keys WHERE supplier_id = $1 AND key = $2`,
      [supplierId, taken.key],
    );
    const row = existing.rows[0];
    if (!row) return this.claim(supplierId, keys, endpoint, hash); // released meanwhile: try again
    const external = taken.key.match(/external_id:(.*)$/s);
    const what = external ? `external_id "${external[1]}"` : 'this Idempotency-Key';
    if (row.endpoint !== endpoint || row.request_hash !== hash) {
      throw new DomainException(ErrorCode.IdempotencyMismatch, `${what} was already used for a different request`);
    }
    if (row.state === 'running') {
      throw new DomainException(ErrorCode.IdempotencyInProgress, `a request with ${what} is still being processed; retry shortly`, [], {
        'Retry-After': '1',
      });
    }
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** Forgets Idempotency-Keys past their lifetime (external_id keys never expire). */
  async deleteExpired(): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM idempotency_keys WHERE expires_at < now()`);
    return rowCount ?? 0;
  }

  /** Gives keys back when a request failed before storing anything, so a retry can run. */
  async release(supplierId: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.pool.query(
      `DELETE FROM idempotency_keys WHERE supplier_id = $1 AND key = ANY($2) AND state = 'running'`,
      [supplierId, keys],
    );
  }
}
