import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { MoneyScalar } from '../common/money.scalar';

export enum ReportGroupByEnum {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  CAMPAIGN = 'CAMPAIGN',
  VERTICAL = 'VERTICAL',
  STATE = 'STATE',
  SUPPLIER = 'SUPPLIER',
  SUB_ID = 'SUB_ID',
  BUYER = 'BUYER',
}
registerEnumType(ReportGroupByEnum, {
  name: 'ReportGroupBy',
  description:
    'How report rows are grouped. Days are UTC; WEEK starts on Monday (key = its Monday); MONTH key = YYYY-MM. ' +
    "STATE is the lead's `state` field, SUB_ID the supplier's `source.sub_id` ('' when absent).",
});

const KEY = 'The group: a day, week or month, an id, a vertical, a state or a sub_id; "TOTAL" for the totals row.';

@ObjectType('BuyerReportRow')
export class BuyerReportRowModel {
  @Field({ description: KEY }) key: string;
  @Field(() => String, { nullable: true, description: 'A name for an id key (campaign, supplier, buyer).' }) label: string | null;
  @Field(() => Int, { description: 'Leads bought (sales SOLD or since RETURNED), by the day they were sold.' }) leadsBought: number;
  @Field(() => MoneyScalar, { description: 'Σ price of those leads.' }) spend: Decimal;
  @Field(() => MoneyScalar, { nullable: true }) averagePrice: Decimal | null;
  @Field(() => Int, { nullable: true, description: 'Live bids made (pings answered with a bid); null when the grouping cannot tell (STATE, SUPPLIER, SUB_ID).' })
  bidsMade: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, bids that became a sale.' }) bidsWon: number | null;
  @Field(() => Float, { nullable: true, description: 'bidsWon / bidsMade (live bids only: fixed-price campaigns bid implicitly).' })
  winRate: number | null;
  @Field(() => Int, { description: 'Of the leads bought, those returned (approved).' }) returns: number;
  @Field(() => MoneyScalar) returnedSpend: Decimal;
  @Field(() => Float, { nullable: true, description: 'returns / leadsBought.' }) returnRate: number | null;
  @Field(() => Int, { description: 'Leads bought with a CONVERTED disposition.' }) conversions: number;
  @Field(() => Float, { nullable: true }) conversionRate: number | null;
}

@ObjectType('BuyerReport')
export class BuyerReportModel {
  @Field(() => [BuyerReportRowModel]) rows: BuyerReportRowModel[];
  @Field(() => BuyerReportRowModel) totals: BuyerReportRowModel;
}

@ObjectType('SupplierReportRow')
export class SupplierReportRowModel {
  @Field({ description: KEY }) key: string;
  @Field(() => String, { nullable: true }) label: string | null;
  @Field(() => Int, { description: 'Leads posted (stored), by the day they arrived.' }) leadsPosted: number;
  @Field(() => Int) sold: number;
  @Field(() => Int) unsold: number;
  @Field(() => Int) duplicates: number;
  @Field(() => Int, { description: 'Refused after storing: an expired ping, or a post that did not match its ping.' }) rejections: number;
  @Field(() => Float, { nullable: true, description: 'sold / leadsPosted.' }) sellThrough: number | null;
  @Field(() => Int, { description: 'Sales (a shared lead sells more than once), by the day sold.' }) sales: number;
  @Field(() => MoneyScalar, { description: 'Payout on those sales, net of approved returns.' }) revenue: Decimal;
  @Field(() => MoneyScalar, { description: 'Payout clawed back by approved returns.' }) returnedPayout: Decimal;
  @Field(() => MoneyScalar, { nullable: true, description: 'Gross payout / sales.' }) averagePayout: Decimal | null;
}

@ObjectType('SupplierReport')
export class SupplierReportModel {
  @Field(() => [SupplierReportRowModel]) rows: SupplierReportRowModel[];
  @Field(() => SupplierReportRowModel) totals: SupplierReportRowModel;
}

@ObjectType('OperatorReportRow')
export class OperatorReportRowModel {
  @Field({ description: KEY }) key: string;
  @Field(() => String, { nullable: true }) label: string | null;
  @Field(() => Int) sales: number;
  @Field(() => MoneyScalar, { description: 'Σ price (gross volume).' }) grossVolume: Decimal;
  @Field(() => MoneyScalar, { description: 'Σ supplier payout.' }) payout: Decimal;
  @Field(() => MoneyScalar, { description: 'Σ margin = grossVolume − payout.' }) margin: Decimal;
  @Field(() => Int) returns: number;
  @Field(() => MoneyScalar) returnedVolume: Decimal;
  @Field(() => MoneyScalar, { description: 'grossVolume − returnedVolume.' }) netVolume: Decimal;
  @Field(() => MoneyScalar, { description: 'margin less the margin of returned sales.' }) netMargin: Decimal;
}

@ObjectType('LatencyStats')
export class LatencyStatsModel {
  @Field(() => Int, { description: 'Observations in the period.' }) count: number;
  @Field(() => Int, { nullable: true, description: 'Median, ms (to the histogram bucket: 5 ms under 1 s, 50 ms under 10 s).' }) p50Ms: number | null;
  @Field(() => Int, { nullable: true }) p95Ms: number | null;
}

@ObjectType('OperatorReport')
export class OperatorReportModel {
  @Field(() => [OperatorReportRowModel]) rows: OperatorReportRowModel[];
  @Field(() => OperatorReportRowModel) totals: OperatorReportRowModel;
  @Field(() => LatencyStatsModel, { description: 'Speed to lead, first leg: lead captured → sold (whole exchange, the period).' })
  captureToSale: LatencyStatsModel;
  @Field(() => LatencyStatsModel, { description: 'Speed to lead, second leg: sold → delivered to the buyer (webhook/email deliveries).' })
  saleToDelivery: LatencyStatsModel;
  @Field(() => LatencyStatsModel, { description: 'Auction latency: how long live buyers took to answer pings.' })
  pingLatency: LatencyStatsModel;
  @Field(() => Int, { description: 'Manual balance adjustments (recordAdjustment) in the period.' })
  adjustments: number;
  @Field(() => MoneyScalar, { description: "What those adjustments did to the exchange's revenue (a goodwill credit to a buyer is negative); not part of the sales margin above." })
  adjustmentsRevenue: Decimal;
}
