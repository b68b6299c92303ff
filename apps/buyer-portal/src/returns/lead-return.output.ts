import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { MoneyScalar } from '../common/money.scalar';
import { PageInfo } from '../leads/lead.output';

/** Why a buyer gives a lead back; the same list is a CHECK on lead_returns.reason. */
export enum ReturnReason {
  INVALID_PHONE = 'INVALID_PHONE',
  INVALID_EMAIL = 'INVALID_EMAIL',
  DUPLICATE = 'DUPLICATE',
  NOT_IN_MARKET = 'NOT_IN_MARKET',
  FRAUD = 'FRAUD',
  OTHER = 'OTHER',
}

export enum ReturnStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

registerEnumType(ReturnReason, { name: 'ReturnReason' });
registerEnumType(ReturnStatus, { name: 'ReturnStatus' });

/** A buyer's request to give back a lead it bought, and what an operator decided. */
@ObjectType('LeadReturn')
export class LeadReturnModel {
  @Field(() => ID) id: string;
  @Field(() => ID) leadId: string;
  @Field(() => ReturnStatus, { description: 'PENDING until an operator decides (or a rule auto-approved it).' }) status: ReturnStatus;
  @Field(() => ReturnReason) reason: ReturnReason;
  @Field(() => MoneyScalar, { description: 'What an approval credits the buyer: the price it paid.' }) amount: Decimal;
  @Field(() => ID, { description: 'The buyer that asked.' }) buyerId: string;
  @Field(() => ID, { description: 'The campaign that bought the lead.' }) campaignId: string;
  @Field(() => String, { nullable: true, description: "The buyer's note." }) note: string | null;
  @Field(() => Date) requestedAt: Date;
  @Field(() => Date, { nullable: true }) decidedAt: Date | null;
  @Field(() => String, { nullable: true, description: "The operator's note, or why a rule auto-approved it." }) decisionNote: string | null;
}

@ObjectType('LeadReturnEdge')
export class LeadReturnEdge {
  @Field({ description: 'Opaque; pass as `after` to read the page after this return.' }) cursor: string;
  @Field(() => LeadReturnModel) node: LeadReturnModel;
}

@ObjectType('LeadReturnConnection')
export class LeadReturnConnection {
  @Field(() => [LeadReturnEdge]) edges: LeadReturnEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Returns matching the filter, all pages together.' }) totalCount: number;
}

/** A lead_returns row as SELECT * returns it. */
export interface LeadReturnRow {
  id: string;
  lead_id: string;
  buyer_id: string;
  campaign_id: string;
  status: string;
  reason: string;
  amount: string;
  note: string | null;
  requested_at: Date;
  decided_at: Date | null;
  decision_note: string | null;
}

export function toLeadReturnModel(r: LeadReturnRow): LeadReturnModel {
  return {
    id: r.id,
    leadId: r.lead_id,
    status: r.status as ReturnStatus,
    reason: r.reason as ReturnReason,
    amount: new Decimal(r.amount),
    buyerId: r.buyer_id,
    campaignId: r.campaign_id,
    note: r.note,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
  };
}
