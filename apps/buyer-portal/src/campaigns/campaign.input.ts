import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsEnum, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CampaignStatus } from '@leadex/contracts';
import { JSONScalar } from '../common/json.scalar';
import { MoneyScalar, MoneyString } from '../common/money.scalar';
import { CapPeriod, FilterOp, PurchaseMode, Weekday } from './campaign.enums';
import { DeliveryInput } from './delivery-config';

/*
 * GraphQL already enforces the shapes of these inputs; the decorators here keep the ValidationPipe's
 * whitelist honest. The business rules (lengths, ranges, URLs, filters against the vertical's fields,
 * caps, schedule) are checked together in CampaignsService, so a client sees every problem at once.
 */

@InputType()
export class FilterRuleInput {
  @Field({ description: 'A lead field of the vertical (`zip` or `fields.zip`), `supplier_id` or `source.<key>`.' })
  @IsString()
  field: string;

  @Field(() => FilterOp)
  @IsEnum(FilterOp)
  op: FilterOp;

  @Field(() => JSONScalar, { nullable: true, description: 'A scalar, or [low, high] for BETWEEN, or an array for IN/NOT_IN; none for EXISTS/NOT_EXISTS.' })
  @Allow()
  value?: unknown;
}

@InputType()
export class CapInput {
  @Field(() => CapPeriod)
  @IsEnum(CapPeriod)
  period: CapPeriod;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  maxLeads?: number | null;

  @Field(() => MoneyScalar, { nullable: true })
  @IsOptional()
  @IsString()
  maxSpend?: MoneyString | null;
}

@InputType()
export class ScheduleWindowInput {
  @Field(() => [Weekday])
  @IsArray()
  @IsEnum(Weekday, { each: true })
  days: Weekday[];

  @Field({ description: 'Local time "HH:MM", inclusive, e.g. "09:00".' })
  @IsString()
  start: string;

  @Field({ description: 'Local time "HH:MM", exclusive, e.g. "17:30"; "24:00" allowed.' })
  @IsString()
  end: string;
}

@InputType()
export class ScheduleInput {
  @Field({ description: 'IANA time zone, e.g. "America/New_York".' })
  @IsString()
  timezone: string;

  @Field(() => [ScheduleWindowInput])
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ScheduleWindowInput)
  windows: ScheduleWindowInput[];
}

@InputType()
export class CampaignInput {
  @Field(() => ID, { nullable: true, description: 'The buyer: required for an ADMIN; a BUYER may omit it (or give its own).' })
  @IsOptional()
  @IsString()
  buyerId?: string | null;

  @Field({ description: '1–200 characters.' })
  @IsString()
  name: string;

  @Field({ description: 'An active vertical key, e.g. "auto-insurance".' })
  @IsString()
  vertical: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'Fixed price per lead; omit when pingUrl prices dynamically.' })
  @IsOptional()
  @IsString()
  bid?: MoneyString | null;

  @Field(() => String, {
    nullable: true,
    description: 'http(s) URL pinged with non-PII fields for a live bid. In production it must reach a public address (no private, loopback or link-local targets).',
  })
  @IsOptional()
  @IsString()
  pingUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'http(s) URL the full lead is posted to; the buyer accepts or refuses it. Without pingUrl the campaign buys at its fixed bid and the buyer answers each post.',
  })
  @IsOptional()
  @IsString()
  postUrl?: string | null;

  @Field(() => Int, { nullable: true, description: 'Ping deadline in ms, 10–10000 (default 500).' })
  @IsOptional()
  @IsInt()
  timeoutMs?: number | null;

  @Field(() => [FilterRuleInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FilterRuleInput)
  filters?: FilterRuleInput[] | null;

  @Field(() => [CapInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CapInput)
  caps?: CapInput[] | null;

  @Field(() => ScheduleInput, { nullable: true, description: 'When the campaign buys; omit to buy at any time.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleInput)
  schedule?: ScheduleInput | null;

  @Field(() => CampaignStatus, { nullable: true, defaultValue: CampaignStatus.ACTIVE })
  @IsOptional()
  @IsEnum(CampaignStatus)
  status?: CampaignStatus | null;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  @IsOptional()
  @IsInt()
  priority?: number | null;

  @Field(() => [ID], { nullable: true, description: "Suppliers whose leads this campaign refuses." })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  excludedSupplierIds?: string[] | null;

  @Field(() => JSONScalar, { nullable: true, description: "The buyer's own wire format: {pingRequest?, pingBid?, pingBidId?, postRequest?, postAccepted?, postReason?, headers?}, each a JSONata expression (headers: name to value). Omit or null for the default JSON." })
  @IsOptional()
  @Allow()
  template?: Record<string, unknown> | null;

  @Field(() => PurchaseMode, { nullable: true, defaultValue: PurchaseMode.EXCLUSIVE })
  @IsOptional()
  @IsEnum(PurchaseMode)
  purchaseMode?: PurchaseMode | null;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Share of leads under WEIGHTED distribution, 0–1000 (0 = only when no weighted campaign takes the lead).' })
  @IsOptional()
  @IsInt()
  weight?: number | null;

  @Field(() => DeliveryInput, { nullable: true, description: 'How sold leads reach the buyer; omit for NONE (portal/API).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeliveryInput)
  delivery?: DeliveryInput | null;
}

/**
 * Every CampaignInput field, optional: the given fields are merged into the stored campaign and the
 * result is validated as a whole. `null` clears bid, pingUrl, postUrl, timeoutMs, schedule, filters,
 * caps, excludedSupplierIds and template; `null` for status, priority, purchaseMode or weight leaves them
 * as they are. buyerId cannot change.
 */
@InputType()
export class CampaignUpdateInput {
  @Field(() => ID, { nullable: true, description: 'Cannot change; accepted only when equal to the current buyer.' })
  @IsOptional()
  @IsString()
  buyerId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Changing it re-validates the filters against the new vertical.' })
  @IsOptional()
  @IsString()
  vertical?: string | null;

  @Field(() => MoneyScalar, { nullable: true })
  @IsOptional()
  @IsString()
  bid?: MoneyString | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  pingUrl?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  postUrl?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  timeoutMs?: number | null;

  @Field(() => [FilterRuleInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FilterRuleInput)
  filters?: FilterRuleInput[] | null;

  @Field(() => [CapInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CapInput)
  caps?: CapInput[] | null;

  @Field(() => ScheduleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleInput)
  schedule?: ScheduleInput | null;

  @Field(() => CampaignStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CampaignStatus)
  status?: CampaignStatus | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  priority?: number | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  excludedSupplierIds?: string[] | null;

  @Field(() => JSONScalar, { nullable: true, description: 'null clears it (the default JSON wire format).' })
  @IsOptional()
  @Allow()
  template?: Record<string, unknown> | null;

  @Field(() => PurchaseMode, { nullable: true })
  @IsOptional()
  @IsEnum(PurchaseMode)
  purchaseMode?: PurchaseMode | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  weight?: number | null;

  @Field(() => DeliveryInput, { nullable: true, description: 'Replaces the delivery config; null = NONE. New sales use it; earlier ones keep theirs.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeliveryInput)
  delivery?: DeliveryInput | null;
}
