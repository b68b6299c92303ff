import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BatchLoader, requestLoader } from '../common/batch-loader.util';
import { LeadModel } from '../leads/lead.output';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttemptModel, DeliveryModel, DeliveryStatus } from './delivery.output';

const LIST_MAX = 200;

@Resolver(() => DeliveryModel)
export class DeliveriesResolver {
  constructor(private readonly service: DeliveriesService) {}

  @Query(() => [DeliveryModel], {
    description: `Deliveries, newest first, e.g. status: FAILED to see what did not arrive. BUYER: its leads; ADMIN, FINANCE: all, supplier postbacks included. first: default 50, at most ${LIST_MAX}.`,
  })
  deliveries(
    @CurrentUser() user: AuthUser,
    @Args('status', { type: () => DeliveryStatus, nullable: true }) status: DeliveryStatus | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
  ): Promise<DeliveryModel[]> {
    return this.service.list(user, status ?? null, Math.min(Math.max(first ?? 50, 1), LIST_MAX));
  }

  @Roles(Role.ADMIN, Role.BUYER)
  @Mutation(() => Boolean, { description: "BUYER (own) or ADMIN. Delivers a sold lead again now, with a fresh retry window." })
  redeliver(@CurrentUser() user: AuthUser, @Args('leadId', { type: () => ID }) leadId: string): Promise<boolean> {
    return this.service.redeliver(user, leadId);
  }

  @ResolveField('attemptLog', () => [DeliveryAttemptModel], { description: 'Every attempt, oldest first.' })
  attemptLog(@Parent() d: DeliveryModel, @Context('req') req: object): Promise<DeliveryAttemptModel[]> {
    const loader = requestLoader(req, 'deliveryAttempts', () => new BatchLoader<string, DeliveryAttemptModel[]>((ids) => this.service.attempts(ids), () => []));
    return loader.load(d.id);
  }
}

/** Lead.delivery: how the lead reached (or is reaching) the caller's buyer. */
@Resolver(() => LeadModel)
export class LeadDeliveryResolver {
  constructor(private readonly service: DeliveriesService) {}

  @ResolveField('delivery', () => DeliveryModel, { nullable: true, description: 'The webhook or email delivery of this purchase; null when its campaign delivers by NONE.' })
  delivery(@Parent() lead: LeadModel, @CurrentUser() user: AuthUser, @Context('req') req: object): Promise<DeliveryModel | null> {
    const loader = requestLoader(req, 'leadDelivery', () => new BatchLoader<string, DeliveryModel | null>((ids) => this.service.forLeads(user, ids), () => null));
    return loader.load(lead.id);
  }
}
