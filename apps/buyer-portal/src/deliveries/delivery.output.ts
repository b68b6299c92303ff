import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DeliveryStatus {
  PENDING = 'PENDING',
  QUEUED = 'QUEUED',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'PENDING: waiting for its (next) attempt; QUEUED: on the queue or being sent; DELIVERED; FAILED: retries ran out (redeliver tries again).',
});

/** One try to deliver: what the buyer's endpoint (or SMTP server) answered. */
@ObjectType('DeliveryAttempt')
export class DeliveryAttemptModel {
  @Field(() => Int) attempt: number;
  @Field(() => Date) startedAt: Date;
  @Field(() => Int) latencyMs: number;
  @Field({ description: 'DELIVERED or FAILED.' }) outcome: string;
  @Field(() => Int, { nullable: true, description: 'HTTP status of a webhook answer.' }) statusCode: number | null;
  @Field(() => String, { nullable: true, description: 'The start of the answer (500 characters at most).' }) responseSnippet: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
}

/** How a sold lead reaches its buyer (kind LEAD), or a sale's postback to its supplier (kind POSTBACK, operators only). */
@ObjectType('Delivery')
export class DeliveryModel {
  @Field(() => ID, { description: 'Sent as the Idempotency-Key header: the same id on every retry.' }) id: string;
  @Field(() => ID) leadId: string;
  @Field(() => ID) campaignId: string;
  @Field({ description: 'LEAD or POSTBACK.' }) kind: string;
  @Field({ description: 'sold, or returned (postbacks).' }) event: string;
  @Field({ description: 'WEBHOOK or EMAIL.' }) method: string;
  @Field(() => DeliveryStatus) status: DeliveryStatus;
  @Field(() => Int) attempts: number;
  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING).' }) nextAttemptAt: Date | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) deliveredAt: Date | null;
  @Field(() => Date, { nullable: true }) failedAt: Date | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
}
