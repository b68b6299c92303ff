import Decimal from 'decimal.js';
import { DomainException } from '@leadex/contracts';
import { DayRange } from './report-range.util';

/**
 * The report queries, shared by the portal (GraphQL) and the exchange (GET /v1/reports). They read
 * only the rollups of migration 900 (report_*_daily), whose rows are per UTC day, so any period of
 * whole days is a range scan of a few thousand rows, whatever the number of sales behind them.
 */
export type ReportGroupBy = 'DAY' | 'WEEK' | 'MONTH' | 'CAMPAIGN' | 'VERTICAL' | 'STATE' | 'SUPPLIER' | 'SUB_ID' | 'BUYER';
export const REPORT_GROUP_BYS: readonly ReportGroupBy[] = ['DAY', 'WEEK', 'MONTH', 'CAMPAIGN', 'VERTICAL', 'STATE', 'SUPPLIER', 'SUB_ID', 'BUYER'];

export type ReportQuery = (sql: string, params: unknown[]) => Promise<any[]>;

/** Who the rows are limited to (a BUYER user's buyer, a supplier's own leads, or an operator's filter). */
export interface ReportScope {
  buyerId?: string | null;
  supplierId?: string | null;
}

/** The SQL key of a group over a rollup aliased r (weeks start on Monday, ISO). */
function keyOf(groupBy: ReportGroupBy): string {
  switch (groupBy) {
    case 'DAY': return `to_char(r.day, 'YYYY-MM-DD')`;
    case 'WEEK': return `to_char(date_trunc('week', r.day), 'YYYY-MM-DD')`;
    case 'MONTH': return `to_char(r.day, 'YYYY-MM')`;
    case 'CAMPAIGN': return `r.campaign_id::text`;
    case 'VERTICAL': return `r.vertical_key`;
    case 'STATE': return `r.state`;
    case 'SUPPLIER': return `r.supplier_id::text`;
    case 'SUB_ID': return `r.sub_id`;
    case 'BUYER': return `r.buyer_id::text`;
  }
}

/** The name shown beside an id key. */
function labelJoin(groupBy: ReportGroupBy): { join: string; label: string } {
  if (groupBy === 'CAMPAIGN') return { join: 'LEFT JOIN campaigns n ON n.id::text = g.key', label: 'n.name' };
  if (groupBy === 'SUPPLIER') return { join: 'LEFT JOIN suppliers n ON n.id::text = g.key', label: 'n.name' };
  if (groupBy === 'BUYER') return { join: 'LEFT JOIN buyers n ON n.id::text = g.key', label: 'n.name' };
  return { join: '', label: 'g.key' };
}

function scopeWhere(range: DayRange, scope: ReportScope, params: unknown[], alias = 'r'): string {
  const p = (v: unknown) => `$${params.push(v)}`;
  const where = [`${alias}.day BETWEEN ${p(range.from)}::date AND ${p(range.to)}::date`];
  if (scope.buyerId) where.push(`${alias}.buyer_id = ${p(scope.buyerId)}::uuid`);
  if (scope.supplierId) where.push(`${alias}.supplier_id = ${p(scope.supplierId)}::uuid`);
  return where.join(' AND ');
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const average = (sum: Decimal, n: number): Decimal | null => (n > 0 ? sum.div(n).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN) : null);

export interface BuyerReportRow {
  key: string;
  label: string | null;
  leadsBought: number;
  spend: Decimal;
  averagePrice: Decimal | null;
  bidsMade: number | null;
  bidsWon: number | null;
  winRate: number | null;
  returns: number;
  returnedSpend: Decimal;
  returnRate: number | null;
  conversions: number;
  conversionRate: number | null;
}

/** Groups whose dimension the live-bid rollup has: win rate exists only for these. */
const BID_GROUPS = new Set<ReportGroupBy>(['DAY', 'WEEK', 'MONTH', 'CAMPAIGN', 'VERTICAL', 'BUYER']);

/**
 * Buyer report. Win rate = live bids won / live bids made (ping answers with a bid), per campaign-day:
 * a fixed-price campaign bids implicitly on every eligible lead, which is not recorded, so it has none.
 */
export async function buyerReport(query: ReportQuery, range: DayRange, groupBy: ReportGroupBy, scope: ReportScope): Promise<BuyerReportRow[]> {
  const params: unknown[] = [];
  const where = scopeWhere(range, scope, params);
  const key = keyOf(groupBy);
  const { join, label } = labelJoin(groupBy);
  const bids = BID_GROUPS.has(groupBy) && !scope.supplierId
    ? `SELECT ${key} AS key, sum(r.bids) AS bids, sum(least(r.bids, coalesce(w.sales, 0))) AS won
         FROM report_bids_daily r
         LEFT JOIN (SELECT day, campaign_id, sum(sales) AS sales FROM report_sales_daily r WHERE ${where} GROUP BY 1, 2) w
           ON w.day = r.day AND w.campaign_id = r.campaign_id
        WHERE ${scopeWhere(range, { buyerId: scope.buyerId }, params)} GROUP BY 1`
    : `SELECT NULL::text AS key, NULL::numeric AS bids, NULL::numeric AS won WHERE false`;
  const rows = await query(
    `WITH s AS (
       SELECT ${key} AS key, sum(r.sales) AS sales, sum(r.spend) AS spend, sum(r.returns) AS returns,
              sum(r.returned_spend) AS returned_spend, sum(r.conversions) AS conversions
         FROM report_sales_daily r WHERE ${where} GROUP BY 1
     ), b AS (${bids})
     SELECT g.*, ${label} AS label FROM (
       SELECT coalesce(s.key, b.key) AS key, coalesce(s.sales, 0)::bigint AS sales, coalesce(s.spend, 0)::text AS spend,
              coalesce(s.returns, 0)::bigint AS returns, coalesce(s.returned_spend, 0)::text AS returned_spend,
              coalesce(s.conversions, 0)::bigint AS conversions, b.bids::bigint AS bids, b.won::bigint AS won
         FROM s FULL JOIN b ON b.key = s.key
     ) g ${join} ORDER BY g.key`,
    params,
  );
  const bidsKnown = BID_GROUPS.has(groupBy) && !scope.supplierId;
  return rows.map((r) => {
    const sales = Number(r.sales);
    const spend = new Decimal(r.spend);
    const bidsMade = bidsKnown ? Number(r.bids ?? 0) : null;
    const bidsWon = bidsKnown ? Number(r.won ?? 0) : null;
    return {
      key: r.key,
      label: r.label,
      leadsBought: sales,
      spend,
      averagePrice: average(spend, sales),
      bidsMade,
      bidsWon,
      winRate: bidsMade === null || bidsWon === null ? null : ratio(bidsWon, bidsMade),
      returns: Number(r.returns),
      returnedSpend: new Decimal(r.returned_spend),
      returnRate: ratio(Number(r.returns), sales),
      conversions: Number(r.conversions),
      conversionRate: ratio(Number(r.conversions), sales),
    };
  });
}

export interface SupplierReportRow {
  key: string;
  label: string | null;
  leadsPosted: number;
  sold: number;
  unsold: number;
  duplicates: number;
  rejections: number;
  sellThrough: number | null;
  sales: number;
  revenue: Decimal;
  returnedPayout: Decimal;
  averagePayout: Decimal | null;
}

const SUPPLIER_GROUPS = new Set<ReportGroupBy>(['DAY', 'WEEK', 'MONTH', 'VERTICAL', 'STATE', 'SUPPLIER', 'SUB_ID']);

/**
 * Supplier report: leads by the day they were posted (report_leads_daily), money by the day they sold
 * (report_sales_daily). Rejections = leads the exchange refused after storing them (an expired ping or
 * a post that did not match its ping); malformed requests are answered 400 and never stored.
 * Revenue = payout on sales, net of approved returns.
 */
export async function supplierReport(query: ReportQuery, range: DayRange, groupBy: ReportGroupBy, scope: ReportScope): Promise<SupplierReportRow[]> {
  if (!SUPPLIER_GROUPS.has(groupBy)) {
    throw DomainException.validation([{ field: 'groupBy', message: `must be one of ${[...SUPPLIER_GROUPS].join(', ')}` }]);
  }
  const params: unknown[] = [];
  const where = scopeWhere(range, { supplierId: scope.supplierId }, params);
  const key = keyOf(groupBy);
  const { join, label } = labelJoin(groupBy);
  const rows = await query(
    `WITH l AS (
       SELECT ${key} AS key, sum(posted) AS posted, sum(sold) AS sold, sum(unsold) AS unsold, sum(duplicate) AS duplicates,
              sum(expired + mismatch) AS rejections
         FROM report_leads_daily r WHERE ${where} GROUP BY 1
     ), s AS (
       SELECT ${key} AS key, sum(r.sales) AS sales, sum(r.payout) AS payout, sum(r.returned_payout) AS returned_payout
         FROM report_sales_daily r WHERE ${where} GROUP BY 1
     )
     SELECT g.*, ${label} AS label FROM (
       SELECT coalesce(l.key, s.key) AS key, coalesce(l.posted, 0)::bigint AS posted, coalesce(l.sold, 0)::bigint AS sold,
              coalesce(l.unsold, 0)::bigint AS unsold, coalesce(l.duplicates, 0)::bigint AS duplicates,
              coalesce(l.rejections, 0)::bigint AS rejections, coalesce(s.sales, 0)::bigint AS sales,
              coalesce(s.payout, 0)::text AS payout, coalesce(s.returned_payout, 0)::text AS returned_payout
         FROM l FULL JOIN s ON s.key = l.key
     ) g ${join} ORDER BY g.key`,
    params,
  );
  return rows.map((r) => {
    const sales = Number(r.sales);
    const payout = new Decimal(r.payout);
    const returned = new Decimal(r.returned_payout);
    return {
      key: r.key,
      label: r.label,
      leadsPosted: Number(r.posted),
      sold: Number(r.sold),
      unsold: Number(r.unsold),
      duplicates: Number(r.duplicates),
      rejections: Number(r.rejections),
      sellThrough: ratio(Number(r.sold), Number(r.posted)),
      sales,
      revenue: payout.minus(returned),
      returnedPayout: returned,
      averagePayout: average(payout, sales),
    };
  });
}

/** The totals row of a supplier report: summed from its rows, rates recomputed. */
export function supplierReportTotals(rows: SupplierReportRow[]): SupplierReportRow {
  const sum = (f: (r: SupplierReportRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const money = (f: (r: SupplierReportRow) => Decimal) => rows.reduce((a, r) => a.plus(f(r)), new Decimal(0));
  const posted = sum((r) => r.leadsPosted);
  const sold = sum((r) => r.sold);
  const sales = sum((r) => r.sales);
  const revenue = money((r) => r.revenue);
  const returnedPayout = money((r) => r.returnedPayout);
  return {
    key: 'TOTAL', label: null, leadsPosted: posted, sold, unsold: sum((r) => r.unsold), duplicates: sum((r) => r.duplicates),
    rejections: sum((r) => r.rejections), sellThrough: ratio(sold, posted), sales, revenue, returnedPayout,
    averagePayout: average(revenue.plus(returnedPayout), sales),
  };
}

export interface OperatorReportRow {
  key: string;
  label: string | null;
  sales: number;
  grossVolume: Decimal;
  payout: Decimal;
  margin: Decimal;
  returns: number;
  returnedVolume: Decimal;
  netVolume: Decimal;
  netMargin: Decimal;
}

/** Operator report: volume and margin per group (gross, then net of approved returns). */
export async function operatorReport(query: ReportQuery, range: DayRange, groupBy: ReportGroupBy, scope: ReportScope): Promise<OperatorReportRow[]> {
  const params: unknown[] = [];
  const where = scopeWhere(range, scope, params);
  const { join, label } = labelJoin(groupBy);
  const rows = await query(
    `SELECT g.*, ${label} AS label FROM (
       SELECT ${keyOf(groupBy)} AS key, sum(r.sales)::bigint AS sales, sum(r.spend)::text AS spend, sum(r.payout)::text AS payout,
              sum(r.margin)::text AS margin, sum(r.returns)::bigint AS returns, sum(r.returned_spend)::text AS returned_spend,
              sum(r.returned_margin)::text AS returned_margin
         FROM report_sales_daily r WHERE ${where} GROUP BY 1
     ) g ${join} ORDER BY g.key`,
    params,
  );
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    sales: Number(r.sales),
    grossVolume: new Decimal(r.spend),
    payout: new Decimal(r.payout),
    margin: new Decimal(r.margin),
    returns: Number(r.returns),
    returnedVolume: new Decimal(r.returned_spend),
    netVolume: new Decimal(r.spend).minus(r.returned_spend),
    netMargin: new Decimal(r.margin).minus(r.returned_margin),
  }));
}

export interface LatencyPercentiles {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * p50/p95 of each latency metric over the range, from the bucketed histograms (exact to the bucket:
 * 5 ms under 1 s, 50 ms under 10 s, 1 s under 10 min). Each value is its bucket's lower bound.
 */
/**
 * What manual balance adjustments (recordAdjustment) did to the exchange's revenue in the period: the
 * net EXCHANGE_REVENUE credit (a goodwill credit to a buyer is negative). Sales margin is in the
 * rollups; adjustments are not sales, so they are read from the ledger (an index on ADJUSTMENT
 * transactions keeps that a handful of rows).
 */
export async function adjustmentsRevenue(query: ReportQuery, range: DayRange): Promise<{ count: number; revenue: string }> {
  const rows = await query(
    `SELECT count(DISTINCT t.id)::int AS count,
            coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END), 0)::text AS revenue
       FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id AND e.account_type = 'EXCHANGE_REVENUE'
      WHERE t.kind = 'ADJUSTMENT'
        AND t.created_at >= ($1::date::timestamp AT TIME ZONE 'UTC') AND t.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')`,
    [range.from, range.to],
  );
  return { count: rows[0].count, revenue: rows[0].revenue };
}

export async function latencyPercentiles(query: ReportQuery, range: DayRange): Promise<Record<string, LatencyPercentiles>> {
  const rows = await query(
    `SELECT metric, bucket_ms, sum(n)::bigint AS n FROM report_latency_daily
      WHERE day BETWEEN $1::date AND $2::date GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`,
    [range.from, range.to],
  );
  const byMetric = new Map<string, { bucket: number; n: number }[]>();
  for (const r of rows) {
    const list = byMetric.get(r.metric) ?? [];
    list.push({ bucket: Number(r.bucket_ms), n: Number(r.n) });
    byMetric.set(r.metric, list);
  }
  const out: Record<string, LatencyPercentiles> = {};
  for (const metric of ['ping', 'capture_to_sale', 'sale_to_delivery']) {
    const list = byMetric.get(metric) ?? [];
    const count = list.reduce((a, b) => a + b.n, 0);
    const at = (q: number): number | null => {
      if (!count) return null;
      const rank = Math.ceil(q * count);
      let seen = 0;
      for (const b of list) if ((seen += b.n) >= rank) return b.bucket;
      return list[list.length - 1].bucket;
    };
    out[metric] = { count, p50Ms: at(0.5), p95Ms: at(0.95) };
  }
  return out;
}
