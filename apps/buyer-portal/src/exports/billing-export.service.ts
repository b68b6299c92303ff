import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { pipeline, Writable } from 'stream';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { DayRange, parseDayRange, pgPoolOf } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';

/** The contract's header, in order: the CSV columns and the keys of every billing row. */
export const BILLING_COLUMNS = [
  'lead_id', 'sold_at', 'vertical', 'supplier_id', 'supplier_name', 'sub_id', 'buyer_id', 'buyer_name',
  'campaign_id', 'campaign_name', 'price', 'payout', 'margin', 'status', 'returned_at', 'return_reason',
] as const;
export type BillingRow = Record<(typeof BILLING_COLUMNS)[number], string | null> & { sale_id: string; cursor_at: string };

export const PAYOUT_COLUMNS = ['supplier_id', 'supplier_name', 'sales', 'gross_payout', 'returned_payout', 'net_payout'] as const;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Free text that suppliers and buyers choose (names, sub ids): what a spreadsheet could run as a formula. */
const FREE_TEXT_COLUMNS = new Set(['supplier_name', 'buyer_name', 'campaign_name', 'sub_id']);

/**
 * CSV injection: a free-text cell starting with = + - @ or a control character is prefixed with a
 * quote, so Excel or Sheets shows it rather than evaluating it. Money and ids are never touched (a
 * negative margin stays "-1.25").
 */
export function safeCell(value: string, column: string | number | undefined): string {
  return FREE_TEXT_COLUMNS.has(String(column)) && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Whose sales a user may export: ADMIN and FINANCE every buyer's (optionally one), BUYER its own only. */
export interface BillingScope {
  buyerId: string | null;
}

/**
 * The finance export: one row per billed sale (SOLD or RETURNED; a PENDING hold is not billed), in
 * sold_at order, money as numeric text ("12.50", never a float), times in UTC ISO 8601.
 *
 * The CSV is streamed from a server-side cursor (pg-query-stream) through csv-stringify into the
 * response with stream.pipeline, so backpressure reaches the cursor: a slow client slows the fetches,
 * and memory stays at one cursor batch however many rows the period holds.
 */
@Injectable()
export class BillingExportService {
  private readonly logger = new Logger('BillingExport');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {}

  range(from: unknown, to: unknown): DayRange {
    return parseDayRange(from, to, this.config.EXPORT_MAX_DAYS);
  }

  /** A BUYER is always limited to its own buyer; ADMIN and FINANCE may narrow to one buyer. */
  scope(user: AuthUser, buyerId: string | null | undefined): BillingScope {
    if (user.role === Role.BUYER) return { buyerId: user.buyerId };
    if (buyerId && !isUuid(buyerId)) throw DomainException.validation([{ field: 'buyer_id', message: 'must be a UUID' }]);
    return { buyerId: buyerId || null };
  }

  /** The billing rows' SELECT; the cursor key (sold_at to the microsecond, sale id) pages the GraphQL view. */
  billingSql(range: DayRange, scope: BillingScope, params: unknown[], extra: string[] = [], limit?: number): string {
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [
      `s.status IN ('SOLD', 'RETURNED')`,
      // whole UTC days, `to` inclusive
      `s.sold_at >= (${p(range.from)}::date::timestamp AT TIME ZONE 'UTC')`,
      `s.sold_at < ((${p(range.to)}::date + 1)::timestamp AT TIME ZONE 'UTC')`,
      ...(scope.buyerId ? [`s.buyer_id = ${p(scope.buyerId)}::uuid`] : []),
      ...extra,
    ];
    return `SELECT s.lead_id, to_char(s.sold_at AT TIME ZONE 'UTC', ${ISO}) AS sold_at, s.vertical_key AS vertical,
                   s.supplier_id, sp.name AS supplier_name, l.source->>'sub_id' AS sub_id,
                   s.buyer_id, b.name AS buyer_name, s.campaign_id, c.name AS campaign_name,
                   s.price::text AS price, s.payout::text AS payout, s.margin::text AS margin, s.status,
                   to_char(s.returned_at AT TIME ZONE 'UTC', ${ISO}) AS returned_at,
                   (SELECT r.reason FROM lead_returns r WHERE r.sale_id = s.id AND r.status = 'APPROVED' LIMIT 1) AS return_reason,
                   s.id AS sale_id, to_char(s.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
              FROM sales s
              JOIN leads l ON l.id = s.lead_id
              JOIN suppliers sp ON sp.id = s.supplier_id
              JOIN buyers b ON b.id = s.buyer_id
              JOIN campaigns c ON c.id = s.campaign_id
             WHERE ${where.join(' AND ')}
             ORDER BY s.sold_at, s.id${limit === undefined ? '' : ` LIMIT ${p(limit)}`}`;
  }

  /** Streams the billing CSV of the period into `out` (an HTTP response). */
  async streamBilling(range: DayRange, scope: BillingScope, out: Writable): Promise<void> {
    const params: unknown[] = [];
    const sql = this.billingSql(range, scope, params);
    await this.streamCsv(sql, params, BILLING_COLUMNS, out);
  }

  /**
   * One row per supplier with a billed sale in the period: payouts of every sale, of those returned
   * since, and the net. Read from the daily sales rollup, which equals the sales to the cent.
   */
  async streamPayouts(range: DayRange, out: Writable): Promise<void> {
    const sql = `SELECT r.supplier_id, sp.name AS supplier_name, sum(r.sales)::text AS sales,
                        sum(r.payout)::text AS gross_payout, sum(r.returned_payout)::text AS returned_payout,
                        (sum(r.payout) - sum(r.returned_payout))::text AS net_payout
                   FROM report_sales_daily r JOIN suppliers sp ON sp.id = r.supplier_id
                  WHERE r.day BETWEEN $1::date AND $2::date
                  GROUP BY r.supplier_id, sp.name HAVING sum(r.sales) > 0
                  ORDER BY sp.name, r.supplier_id`;
    await this.streamCsv(sql, [range.from, range.to], PAYOUT_COLUMNS, out);
  }

  /** A page of billing rows for GraphQL, after a (sold_at, sale id) key. */
  async page(range: DayRange, scope: BillingScope, limit: number, after: { soldAt: string; saleId: string } | null): Promise<BillingRow[]> {
    const params: unknown[] = [];
    const extra: string[] = [];
    if (after) extra.push(`(s.sold_at, s.id) > ($${params.push(after.soldAt)}::timestamptz, $${params.push(after.saleId)}::uuid)`);
    return this.dataSource.query(this.billingSql(range, scope, params, extra, limit), params);
  }

  private async streamCsv(sql: string, params: unknown[], columns: readonly string[], out: Writable): Promise<void> {
    let client: PoolClient;
    try {
      client = await pgPoolOf(this.dataSource).connect();
    } catch {
      throw new DomainException(ErrorCode.Unavailable, 'The database is unreachable; try the export again', [], { 'Retry-After': '5' });
    }
    const rows = client.query(new QueryStream(sql, params, { batchSize: this.config.EXPORT_CURSOR_BATCH }));
    const csv = stringify({ header: true, columns: [...columns], cast: { boolean: (b) => String(b), string: (v, ctx) => safeCell(v, ctx.column) } });
    await new Promise<void>((resolve) => {
      // pipeline destroys every stage on an error or a client that goes away, which closes the cursor
      pipeline(rows, csv, out, (err) => {
        if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          this.logger.error({ err }, 'CSV export failed mid-stream; the response was cut so no partial file looks complete');
        }
        // a connection whose cursor was cut mid-fetch is not handed back to the pool
        client.release(err ? true : undefined);
        resolve();
      });
    });
  }
}
