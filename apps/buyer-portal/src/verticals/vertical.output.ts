import { Field, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { VerticalEntity } from '@leadex/persistence';
import { JSONScalar } from '../common/json.scalar';
import { MoneyScalar } from '../common/money.scalar';
import { ReturnReason } from '../returns/lead-return.output';
import { DistributionMode } from './distribution-mode.enum';

/** One field of a vertical's lead, read from its JSON Schema. */
@ObjectType('VerticalField')
export class VerticalFieldModel {
  @Field() name: string;
  @Field(() => String, { nullable: true, description: 'JSON Schema type: string, integer, number, boolean.' }) type: string | null;
  @Field(() => String, { nullable: true, description: 'JSON Schema format, e.g. email, phone-us, us-state, date.' }) format: string | null;
  @Field() required: boolean;
  @Field({ description: 'Personal data: never sent in a ping, shown only to the buyers who bought the lead.' }) pii: boolean;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => [String], { nullable: true, description: 'The allowed values, when the field is an enumeration.' })
  enumValues: string[] | null;
}

/** A kind of lead (auto insurance, mortgage...): its fields and selling rules. */
@ObjectType('Vertical')
export class VerticalModel {
  @Field() key: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Int, { description: 'How many buyers may buy one lead (1 = exclusive).' }) maxSales: number;
  @Field(() => Int) duplicateWindowDays: number;
  @Field(() => Int) returnWindowDays: number;
  @Field(() => [ReturnReason], { description: 'Return reasons approved as soon as a buyer asks; empty = an operator decides every return.' })
  returnAutoApproveReasons: ReturnReason[];
  @Field(() => MoneyScalar, { description: 'Lowest price a lead of this vertical sells for.' }) floorPrice: Decimal;
  @Field() active: boolean;
  @Field(() => DistributionMode, { description: 'How leads are routed among eligible campaigns.' }) distributionMode: DistributionMode;
  @Field(() => [VerticalFieldModel]) fields: VerticalFieldModel[];
  @Field(() => JSONScalar, { description: 'The JSON Schema of lead fields; personal properties carry "x-pii": true.' })
  schema: Record<string, unknown>;
}

export function toVerticalModel(v: VerticalEntity): VerticalModel {
  const properties: Record<string, any> = v.schema?.properties ?? {};
  const required = new Set<string>(Array.isArray(v.schema?.required) ? v.schema.required : []);
  const fields = Object.entries(properties).map(([name, p]) => ({
    name,
    type: typeof p?.type === 'string' ? p.type : null,
    format: typeof p?.format === 'string' ? p.format : null,
    required: required.has(name),
    pii: p?.['x-pii'] === true,
    description: typeof p?.description === 'string' ? p.description : null,
    enumValues: Array.isArray(p?.enum) ? p.enum.map(String) : null,
  }));
  return {
    key: v.key,
    name: v.name,
    description: v.description,
    maxSales: v.maxSales,
    duplicateWindowDays: v.duplicateWindowDays,
    returnWindowDays: v.returnWindowDays,
    returnAutoApproveReasons: (v.returnAutoApproveReasons ?? []) as ReturnReason[],
    floorPrice: v.floorPrice,
    active: v.active,
    distributionMode: (v.distributionMode ?? DistributionMode.AUCTION) as DistributionMode,
    fields,
    schema: v.schema,
  };
}
