import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { BatchLoader, requestLoader } from '../common/batch-loader.util';
import { LeadFilter } from './lead-filter.input';
import { LeadTimelineService, TimelineSubject } from './lead-timeline.service';
import { LeadConnection, LeadModel, TimelineEventModel } from './lead.output';
import { LeadsService } from './leads.service';

@Resolver(() => LeadModel)
export class LeadsResolver {
  constructor(
    private readonly service: LeadsService,
    private readonly timelines: LeadTimelineService,
  ) {}

  @Query(() => LeadConnection, {
    description:
      'Leads bought, with their personal data, newest first. BUYER: its own purchases; ADMIN, FINANCE: every sale (one edge per sale). ' +
      '`first` defaults to 20; larger values are clamped to the server maximum (LEADS_PAGE_MAX, default 100), so read pageInfo.',
  })
  leads(
    @CurrentUser() user: AuthUser,
    @Args('filter', { type: () => LeadFilter, nullable: true }) filter: LeadFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LeadConnection> {
    return this.service.bought(user, filter, first, after);
  }

  @Query(() => LeadModel, {
    nullable: true,
    description:
      'One lead. BUYER: only a lead its buyer bought (null otherwise, as for an unknown id), with the price it paid. ' +
      "ADMIN, FINANCE: any lead; when several buyers bought it, price and campaign are the first sale's.",
  })
  lead(@CurrentUser() user: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<LeadModel | null> {
    return this.service.findVisible(user, id);
  }

  /** Batched per request: a page of leads reads its timelines in one query. */
  @ResolveField('timeline', () => [TimelineEventModel], {
    description:
      "The lead's audit trail in time order: pings to buyers and their answers, posts, sales. " +
      "A BUYER sees other buyers' steps without their campaign, price or detail.",
  })
  timeline(@Parent() lead: LeadModel, @CurrentUser() user: AuthUser, @Context('req') req: object): Promise<TimelineEventModel[]> {
    const loader = requestLoader(
      req,
      'leadTimeline',
      () => new BatchLoader<TimelineSubject, TimelineEventModel[]>((subjects) => this.timelines.timelines(subjects, user), () => [], (s) => s.leadId),
    );
    return loader.load({ leadId: lead.id, pingId: lead.pingId ?? null });
  }
}
