import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { CampaignModel } from '../campaigns/campaign.output';
import { JSONScalar } from '../common/json.scalar';
import { MoneyScalar } from '../common/money.scalar';

/** A lead as a buyer bought it: with its personal data. */
@ObjectType('Lead')
export class LeadModel {
  @Field(() => ID) id: string;
  @Field() vertical: string;
  @Field({ description: '"sold", or "returned" once this purchase was returned.' }) status: string;
  @Field(() => MoneyScalar, { nullable: true, description: 'What this buyer paid for the lead.' }) price: Decimal | null;
  @Field(() => Date, { nullable: true }) soldAt: Date | null;
  @Field(() => CampaignModel, { nullable: true, description: 'The campaign that bought the lead.' }) campaign: CampaignModel | null;
  @Field(() => JSONScalar, { description: 'Every field of the lead, personal ones included.' }) fields: Record<string, unknown>;
  @Field(() => JSONScalar, { nullable: true, description: 'Consent evidence (TCPA text, TrustedForm, Jornaya).' })
  consent: Record<string, unknown> | null;
}

@ObjectType('LeadEdge')
export class LeadEdge {
  @Field({ description: 'Opaque; pass as `after` to read the page after this lead.' }) cursor: string;
  @Field(() => LeadModel) node: LeadModel;
}

@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType('LeadConnection')
export class LeadConnection {
  @Field(() => [LeadEdge]) edges: LeadEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Leads matching the filter, all pages together.' }) totalCount: number;
}
