import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { CampaignStatus } from '@leadex/contracts';
import { CampaignEntity } from '@leadex/persistence';
import { JSONScalar } from '../common/json.scalar';
import { MoneyScalar } from '../common/money.scalar';
import { CapPeriod, FilterOp, PurchaseMode, Weekday } from './campaign.enums';
import { DeliveryConfigModel, toDeliveryModel } from './delivery-config';

@ObjectType('FilterRule')
export class FilterRuleModel {
  @Field({ description: 'A lead field (`zip`, `fields.zip`), `supplier_id` or `source.<key>` (e.g. `source.sub_id`).' })
  field: string;
  @Field(() => FilterOp) op: FilterOp;
  @Field(() => JSONScalar, { nullable: true }) value: unknown;
}

@ObjectType('Cap')
export class CapModel {
  @Field(() => CapPeriod) period: CapPeriod;
  @Field(() => Int, { nullable: true, description: 'Most leads bought in one period.' }) maxLeads: number | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'Most money spent in one period.' }) maxSpend: string | null;
}

@ObjectType('ScheduleWindow')
export class ScheduleWindowModel {
  @Field(() => [Weekday]) days: Weekday[];
  @Field({ description: 'Local opening time "HH:MM", inclusive.' }) start: string;
  @Field({ description: 'Local closing time "HH:MM", exclusive ("24:00" allowed; before start = runs past midnight).' })
  end: string;
}

@ObjectType('Schedule')
export class ScheduleModel {
  @Field({ description: 'IANA time zone, e.g. "America/New_York".' }) timezone: string;
  @Field(() => [ScheduleWindowModel]) windows: ScheduleWindowModel[];
}

/** How the campaign's buyer endpoint answers the exchange (kept by the exchange; zeros before the first ping). */
@ObjectType('CampaignHealth')
export class CampaignHealthModel {
  @Field(() => Int, { description: 'Pings sent to the buyer since the campaign went live (at most 2147483647 shown).' }) pings: number;
  @Field(() => Float, { nullable: true, description: 'Share of pings answered before the deadline, 0–1; null before the first ping.' })
  onTimeRate: number | null;
  @Field(() => Int, { description: 'Failed calls in a row (timeouts, errors, malformed answers); 0 after a good answer.' })
  consecutiveFailures: number;
  @Field(() => Date, { nullable: true }) lastFailureAt: Date | null;
  @Field(() => String, { nullable: true, description: 'What went wrong last, e.g. "timeout" or "http 500".' }) lastFailureReason: string | null;
}

/** A buyer's standing order for leads of one vertical. */
@ObjectType('Campaign')
export class CampaignModel {
  @Field(() => ID) id: string;
  @Field(() => ID) buyerId: string;
  @Field() name: string;
  @Field({ description: 'The vertical key, e.g. "auto-insurance".' }) vertical: string;
  @Field(() => MoneyScalar, { nullable: true, description: 'Fixed price per lead; null when pingUrl prices each lead.' })
  bid: Decimal | null;
  @Field(() => CampaignStatus) status: CampaignStatus;
  @Field(() => Int, { description: 'Breaks ties between equal bids after round robin; higher wins.' }) priority: number;
  @Field(() => String, { nullable: true }) pingUrl: string | null;
  @Field(() => String, { nullable: true }) postUrl: string | null;
  @Field(() => Int, { nullable: true, description: 'Deadline of a ping to this buyer, ms (default 500).' }) timeoutMs: number | null;
  @Field(() => [FilterRuleModel], { description: 'Every rule must hold for the campaign to bid.' }) filters: FilterRuleModel[];
  @Field(() => [CapModel]) caps: CapModel[];
  @Field(() => ScheduleModel, { nullable: true, description: 'When the campaign buys; null = always.' }) schedule: ScheduleModel | null;
  @Field(() => [ID], { description: "Suppliers whose leads this campaign never buys." }) excludedSupplierIds: string[];
  @Field(() => Date, { nullable: true, description: 'When the campaign last won a lead.' }) lastWonAt: Date | null;
  @Field(() => JSONScalar, { nullable: true, description: "The buyer's wire template (JSONata expressions); null = the default JSON format." })
  template: Record<string, unknown> | null;
  @Field(() => PurchaseMode) purchaseMode: PurchaseMode;
  @Field(() => Int, { description: 'Share of leads under WEIGHTED distribution, 0–1000.' }) weight: number;
  @Field(() => DeliveryConfigModel, { description: 'How sold leads reach the buyer.' }) delivery: DeliveryConfigModel;
  @Field(() => String, { nullable: true, description: 'Why the exchange paused the campaign (e.g. its endpoint kept failing); cleared when it is set ACTIVE again.' })
  pausedReason: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export function toCampaignModel(c: CampaignEntity): CampaignModel {
  return {
    id: c.id,
    buyerId: c.buyerId,
    name: c.name,
    vertical: c.vertical,
    bid: c.bid,
    status: c.status,
    priority: c.priority,
    pingUrl: c.pingUrl,
    postUrl: c.postUrl,
    timeoutMs: c.timeoutMs,
    filters: (c.filters ?? []).map((f) => ({ field: f.field, op: f.op as FilterOp, value: f.value ?? null })),
    caps: (c.caps ?? []).map((k) => ({ period: k.period as CapPeriod, maxLeads: k.maxLeads ?? null, maxSpend: k.maxSpend ?? null })),
    schedule: c.schedule
      ? { timezone: c.schedule.timezone, windows: c.schedule.windows.map((w) => ({ days: w.days as Weekday[], start: w.start, end: w.end })) }
      : null,
    excludedSupplierIds: c.excludedSupplierIds ?? [],
    lastWonAt: c.lastWonAt,
    template: c.template ?? null,
    purchaseMode: (c.purchaseMode ?? PurchaseMode.EXCLUSIVE) as PurchaseMode,
    weight: c.weight ?? 1,
    delivery: toDeliveryModel(c.delivery),
    pausedReason: c.pausedReason ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
