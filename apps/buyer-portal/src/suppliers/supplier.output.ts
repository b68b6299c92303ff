import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { SupplierStatus } from '@leadex/contracts';
import { SupplierEntity } from '@leadex/persistence';
import { MoneyScalar } from '../common/money.scalar';

registerEnumType(SupplierStatus, { name: 'SupplierStatus' });

/** The least a supplier is paid for a lead of one vertical: bids that would pay it less do not buy its leads. */
@ObjectType('SupplierFloor')
export class SupplierFloorModel {
  @Field({ description: 'The vertical key, e.g. "auto-insurance".' }) vertical: string;
  @Field(() => MoneyScalar, { description: "Minimum payout to the supplier per lead." }) minPayout: Decimal;
}

/** A publisher selling leads through the exchange API. */
@ObjectType('Supplier')
export class SupplierModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => SupplierStatus) status: SupplierStatus;
  @Field({ description: 'Share of each sale price paid to the supplier, percent, e.g. "70" or "72.5".' })
  payoutPercent: string;
  @Field(() => MoneyScalar, { nullable: true, description: 'Flat payout per sold lead; replaces payoutPercent when set.' })
  fixedPayout: string | null;
  @Field(() => [String], { nullable: true, description: 'Verticals the supplier may sell; null = all.' })
  allowedVerticals: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Ping/post requests per second; null = the exchange default.' })
  rateLimitPerSec: number | null;
  @Field({ description: 'First characters of the API key, to recognise it; the key itself is never shown again.' })
  apiKeyPrefix: string;
  @Field(() => String, { nullable: true, description: 'Told when a lead of this supplier is sold or returned.' }) postbackUrl: string | null;
  @Field() createdAt: Date;
}

@ObjectType('SupplierWithKey')
export class SupplierWithKey {
  @Field(() => SupplierModel) supplier: SupplierModel;
  @Field({ description: 'The API key (`lx_...`), shown only this once: only its hash is stored.' }) apiKey: string;
}

export function toSupplierModel(s: SupplierEntity): SupplierModel {
  return {
    id: s.id,
    name: s.name,
    status: s.status as SupplierStatus,
    payoutPercent: s.payoutPercent.toFixed(),
    fixedPayout: s.fixedPayout ? s.fixedPayout.toFixed(2) : null,
    allowedVerticals: s.allowedVerticals,
    rateLimitPerSec: s.rateLimitPerSec,
    apiKeyPrefix: s.apiKeyPrefix,
    postbackUrl: s.postbackUrl ?? null,
    createdAt: s.createdAt,
  };
}
