import { Field, ID, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../common/json.scalar';

/** Something a buyer (or the operators) should know: a cap reached, a delivery failed, a campaign auto-paused, a low balance. */
@ObjectType('Notification')
export class NotificationModel {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true, description: 'The buyer told; null = for the operators.' }) buyerId: string | null;
  @Field({ description: 'CAP_REACHED, DELIVERY_FAILED, CAMPAIGN_AUTO_PAUSED or LOW_BALANCE.' }) kind: string;
  @Field() message: string;
  @Field(() => JSONScalar, { description: 'Ids to link to, e.g. {campaignId} or {deliveryId, leadId}.' }) data: Record<string, unknown>;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) readAt: Date | null;
}
