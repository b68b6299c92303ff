import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException } from '@leadex/contracts';
import { parseDayRange, ReportGroupBy, supplierReport, supplierReportTotals, SupplierReportRow } from '@leadex/persistence';
import { SupplierReportDto, SupplierReportRowDto } from './supplier-report.dto';

const SUPPLIER_GROUPS: ReportGroupBy[] = ['DAY', 'WEEK', 'MONTH', 'VERTICAL', 'STATE', 'SUB_ID'];

/** A supplier's own report over the rollups (its leads only; never a buyer's identity). */
@Injectable()
export class SupplierReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {}

  async report(supplierId: string, from: unknown, to: unknown, groupBy: unknown): Promise<SupplierReportDto> {
    const range = parseDayRange(from, to, this.config.REPORT_MAX_DAYS);
    const group = (typeof groupBy === 'string' && groupBy ? groupBy.toUpperCase() : 'DAY') as ReportGroupBy;
    if (!SUPPLIER_GROUPS.includes(group)) {
      throw DomainException.validation([{ field: 'group_by', message: `must be one of ${SUPPLIER_GROUPS.join(', ')}` }]);
    }
    const rows = await supplierReport((sql, params) => this.dataSource.query(sql, params), range, group, { supplierId });
    return { from: range.from, to: range.to, group_by: group, rows: rows.map(toDto), totals: toDto(supplierReportTotals(rows)) };
  }
}

function toDto(r: SupplierReportRow): SupplierReportRowDto {
  return {
    key: r.key,
    leads_posted: r.leadsPosted,
    sold: r.sold,
    unsold: r.unsold,
    duplicates: r.duplicates,
    rejections: r.rejections,
    sell_through: r.sellThrough,
    sales: r.sales,
    revenue: r.revenue.toFixed(2),
    returned_payout: r.returnedPayout.toFixed(2),
    average_payout: r.averagePayout === null ? null : r.averagePayout.toFixed(2),
  };
}
