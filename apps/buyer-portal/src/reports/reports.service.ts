import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import {
  adjustmentsRevenue, buyerReport, BuyerReportRow, DayRange, latencyPercentiles, operatorReport, OperatorReportRow, parseDayRange,
  ReportGroupBy, ReportQuery, ReportScope, supplierReport, supplierReportTotals,
} from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { BuyerReportModel, OperatorReportModel, SupplierReportModel } from './report.output';

/** Groupings that would show a buyer its suppliers or their traffic sources: operators only. */
const OPERATOR_ONLY_GROUPS = new Set<ReportGroupBy>(['SUPPLIER', 'SUB_ID', 'BUYER']);

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const avg = (sum: Decimal, n: number): Decimal | null => (n > 0 ? sum.div(n).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN) : null);
const sumInt = <T>(rows: T[], f: (r: T) => number) => rows.reduce((a, r) => a + f(r), 0);
const sumMoney = <T>(rows: T[], f: (r: T) => Decimal) => rows.reduce((a, r) => a.plus(f(r)), new Decimal(0));
const sumNullable = <T>(rows: T[], f: (r: T) => number | null) => (rows.some((r) => f(r) !== null) ? sumInt(rows, (r) => f(r) ?? 0) : null);

/**
 * Role-scoped reports over the rollups: a BUYER sees its own buyer's only; ADMIN and FINANCE see every
 * buyer and supplier, optionally narrowed. Totals are summed from the rows (exact decimals), so the
 * totals row equals the sum of what is shown.
 */
@Injectable()
export class ReportsService {
  private readonly query: ReportQuery;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {
    this.query = (sql, params) => dataSource.query(sql, params);
  }

  async buyer(user: AuthUser, from: string, to: string, groupBy: ReportGroupBy, buyerId: string | null): Promise<BuyerReportModel> {
    const range = this.range(from, to);
    let scope: ReportScope;
    if (user.role === Role.BUYER) {
      if (buyerId && buyerId !== user.buyerId) throw new DomainException(ErrorCode.Forbidden, "A buyer sees its own report only");
      if (OPERATOR_ONLY_GROUPS.has(groupBy)) {
        throw DomainException.validation([{ field: 'groupBy', message: `${groupBy} is for operators; a buyer groups by DAY, WEEK, MONTH, CAMPAIGN, VERTICAL or STATE` }]);
      }
      scope = { buyerId: user.buyerId };
    } else {
      scope = { buyerId: this.uuid('buyerId', buyerId) };
    }
    const rows = await buyerReport(this.query, range, groupBy, scope);
    const n = sumInt(rows, (r) => r.leadsBought);
    const spend = sumMoney(rows, (r) => r.spend);
    const made = sumNullable(rows, (r) => r.bidsMade);
    const won = sumNullable(rows, (r) => r.bidsWon);
    const returns = sumInt(rows, (r) => r.returns);
    const conversions = sumInt(rows, (r) => r.conversions);
    const totals: BuyerReportRow = {
      key: 'TOTAL', label: null, leadsBought: n, spend, averagePrice: avg(spend, n), bidsMade: made, bidsWon: won,
      winRate: made === null || won === null ? null : ratio(won, made), returns, returnedSpend: sumMoney(rows, (r) => r.returnedSpend),
      returnRate: ratio(returns, n), conversions, conversionRate: ratio(conversions, n),
    };
    return { rows, totals };
  }

  async supplier(from: string, to: string, groupBy: ReportGroupBy, supplierId: string | null): Promise<SupplierReportModel> {
    const rows = await supplierReport(this.query, this.range(from, to), groupBy, { supplierId: this.uuid('supplierId', supplierId) });
    return { rows, totals: supplierReportTotals(rows) };
  }

  async operator(from: string, to: string, groupBy: ReportGroupBy, buyerId: string | null, supplierId: string | null): Promise<OperatorReportModel> {
    const range = this.range(from, to);
    const scope = { buyerId: this.uuid('buyerId', buyerId), supplierId: this.uuid('supplierId', supplierId) };
    const [rows, latency, adjustments] = await Promise.all([
      operatorReport(this.query, range, groupBy, scope),
      latencyPercentiles(this.query, range),
      adjustmentsRevenue(this.query, range),
    ]);
    const totals: OperatorReportRow = {
      key: 'TOTAL', label: null, sales: sumInt(rows, (r) => r.sales), grossVolume: sumMoney(rows, (r) => r.grossVolume),
      payout: sumMoney(rows, (r) => r.payout), margin: sumMoney(rows, (r) => r.margin), returns: sumInt(rows, (r) => r.returns),
      returnedVolume: sumMoney(rows, (r) => r.returnedVolume), netVolume: sumMoney(rows, (r) => r.netVolume), netMargin: sumMoney(rows, (r) => r.netMargin),
    };
    return {
      rows, totals, captureToSale: latency.capture_to_sale, saleToDelivery: latency.sale_to_delivery, pingLatency: latency.ping,
      adjustments: adjustments.count, adjustmentsRevenue: new Decimal(adjustments.revenue),
    };
  }

  private range(from: string, to: string): DayRange {
    return parseDayRange(from, to, this.config.REPORT_MAX_DAYS);
  }

  private uuid(field: string, v: string | null | undefined): string | null {
    if (v && !isUuid(v)) throw DomainException.validation([{ field, message: 'must be a UUID' }]);
    return v || null;
  }
}
