import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { CampaignModel } from '../campaigns/campaign.output';
import { JSONScalar } from '../common/json.scalar';
import { MoneyScalar } from '../common/money.scalar';

/**
 * One step of a lead's life, from the exchange's audit timeline (lead_events) and its sales: a ping sent to
 * a campaign and its answer, a post and the buyer's answer, a sale. A BUYER sees other buyers' steps without
 * their campaign, price or detail.
 */
@ObjectType('TimelineEvent')
export class TimelineEventModel {
  @Field(() => Date) at: Date;
  @Field({ description: 'ping, post, sale or note.' }) kind: string;
  @Field({
    description:
      'ping: bid, no_bid, timeout, error, malformed, refused; post: accepted, rejected...; sale: sold, held (the buyer is deciding), returned, or why it failed (cap_reached...).',
  })
  outcome: string;
  @Field(() => ID, { nullable: true, description: "The campaign concerned; null for another buyer's campaign (BUYER) or none." })
  campaignId: string | null;
  @Field(() => Int, { nullable: true, description: 'How long the buyer took to answer, ms.' }) latencyMs: number | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'The bid or sale price.' }) price: Decimal | null;
  @Field(() => JSONScalar, { nullable: true, description: 'PII-free detail, e.g. the reason a buyer gave.' })
  detail: Record<string, unknown> | null;
}

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
  /** Not in the schema: the ping this lead was the post of, for its timeline. */
  pingId: string | null;
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
