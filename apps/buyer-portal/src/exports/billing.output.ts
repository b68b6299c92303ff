import { Field, ID, ObjectType } from '@nestjs/graphql';
import { MoneyScalar } from '../common/money.scalar';
import { PageInfo } from '../leads/lead.output';

/** One billed sale: the same data as a row of GET /exports/billing.csv. */
@ObjectType('BillingRow')
export class BillingRowModel {
  @Field(() => ID) leadId: string;
  @Field(() => ID) saleId: string;
  @Field({ description: 'When the sale was made, ISO 8601 UTC.' }) soldAt: string;
  @Field() vertical: string;
  @Field(() => ID) supplierId: string;
  @Field() supplierName: string;
  @Field(() => String, { nullable: true, description: "The supplier's sub_id (source.sub_id), if it sent one." }) subId: string | null;
  @Field(() => ID) buyerId: string;
  @Field() buyerName: string;
  @Field(() => ID) campaignId: string;
  @Field() campaignName: string;
  @Field(() => MoneyScalar, { description: 'What the buyer paid.' }) price: string;
  @Field(() => MoneyScalar, { description: "The supplier's payout." }) payout: string;
  @Field(() => MoneyScalar, { description: 'price − payout.' }) margin: string;
  @Field({ description: 'SOLD or RETURNED.' }) status: string;
  @Field(() => String, { nullable: true, description: 'When an approved return reversed the sale, ISO 8601 UTC.' }) returnedAt: string | null;
  @Field(() => String, { nullable: true, description: "The approved return's reason." }) returnReason: string | null;
}

@ObjectType('BillingEdge')
export class BillingEdge {
  @Field({ description: 'Opaque; pass as `after` for the next page.' }) cursor: string;
  @Field(() => BillingRowModel) node: BillingRowModel;
}

@ObjectType('BillingConnection')
export class BillingConnection {
  @Field(() => [BillingEdge]) edges: BillingEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
