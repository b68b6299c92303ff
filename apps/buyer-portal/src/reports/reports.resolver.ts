import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BuyerReportModel, OperatorReportModel, ReportGroupByEnum, SupplierReportModel } from './report.output';
import { ReportsService } from './reports.service';

const PERIOD = '`from` and `to` are UTC days (YYYY-MM-DD), both inclusive.';

@Resolver()
export class ReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @Query(() => BuyerReportModel, {
    description: `Leads bought, spend, win rate, returns and conversions. ${PERIOD} BUYER: its own buyer only (groupings that reveal suppliers are for operators); ADMIN, FINANCE: every buyer, or \`buyerId\`.`,
  })
  buyerReport(
    @CurrentUser() user: AuthUser,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('groupBy', { type: () => ReportGroupByEnum }) groupBy: ReportGroupByEnum,
    @Args('buyerId', { type: () => ID, nullable: true }) buyerId: string | null,
  ): Promise<BuyerReportModel> {
    return this.reports.buyer(user, from, to, groupBy, buyerId);
  }

  @Query(() => SupplierReportModel, {
    description: `Leads posted, sold, sell-through, revenue (payout), rejections and duplicates. ${PERIOD} ADMIN, FINANCE; suppliers read theirs at GET /v1/reports on the exchange.`,
  })
  @Roles(Role.ADMIN, Role.FINANCE)
  supplierReport(
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('groupBy', { type: () => ReportGroupByEnum }) groupBy: ReportGroupByEnum,
    @Args('supplierId', { type: () => ID, nullable: true }) supplierId: string | null,
  ): Promise<SupplierReportModel> {
    return this.reports.supplier(from, to, groupBy, supplierId);
  }

  @Query(() => OperatorReportModel, {
    description: `Gross volume, payout and margin per group, speed to lead and auction latency. ${PERIOD} ADMIN, FINANCE.`,
  })
  @Roles(Role.ADMIN, Role.FINANCE)
  operatorReport(
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('groupBy', { type: () => ReportGroupByEnum }) groupBy: ReportGroupByEnum,
    @Args('buyerId', { type: () => ID, nullable: true }) buyerId: string | null,
    @Args('supplierId', { type: () => ID, nullable: true }) supplierId: string | null,
  ): Promise<OperatorReportModel> {
    return this.reports.operator(from, to, groupBy, buyerId, supplierId);
  }
}
