import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CampaignStatus, Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BatchLoader, requestLoader } from '../common/batch-loader.util';
import { CampaignHealthService, NO_HEALTH } from './campaign-health.service';
import { CampaignInput, CampaignUpdateInput } from './campaign.input';
import { CampaignHealthModel, CampaignModel } from './campaign.output';
import { CampaignsService } from './campaigns.service';

@Resolver(() => CampaignModel)
export class CampaignsResolver {
  constructor(
    private readonly service: CampaignsService,
    private readonly health: CampaignHealthService,
  ) {}

  @Roles(Role.ADMIN, Role.BUYER)
  @Mutation(() => CampaignModel, { description: "BUYER: for its own buyer. ADMIN: for the buyer named by buyerId. Every problem is listed at once." })
  createCampaign(@CurrentUser() user: AuthUser, @Args('input') input: CampaignInput): Promise<CampaignModel> {
    return this.service.create(user, input);
  }

  @Roles(Role.ADMIN, Role.BUYER)
  @Mutation(() => CampaignModel, { description: 'BUYER: own campaigns only (another buyer\'s is not_found). The merged campaign is validated as a whole.' })
  updateCampaign(
    @CurrentUser() user: AuthUser,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: CampaignUpdateInput,
  ): Promise<CampaignModel> {
    return this.service.update(user, id, input);
  }

  @Roles(Role.ADMIN, Role.BUYER)
  @Mutation(() => CampaignModel, {
    description: 'Pause or resume. BUYER: own campaigns only. Resuming (ACTIVE) clears pausedReason: the buyer fixed what made the exchange pause it.',
  })
  setCampaignStatus(
    @CurrentUser() user: AuthUser,
    @Args('id', { type: () => ID }) id: string,
    @Args('status', { type: () => CampaignStatus }) status: CampaignStatus,
  ): Promise<CampaignModel> {
    return this.service.setStatus(user, id, status);
  }

  @Query(() => [CampaignModel], { description: "BUYER: its own buyer's campaigns. ADMIN, FINANCE: all. Newest first." })
  campaigns(@CurrentUser() user: AuthUser): Promise<CampaignModel[]> {
    return this.service.list(user);
  }

  @Query(() => CampaignModel, { nullable: true, description: "null when there is no such campaign or it is another buyer's." })
  campaign(@CurrentUser() user: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<CampaignModel | null> {
    return this.service.findVisible(user, id);
  }

  /** Batched per request: a list of campaigns (or of leads with their campaign) reads campaign_health once. */
  @ResolveField('health', () => CampaignHealthModel, { description: "How the buyer's endpoint answers the exchange's pings; zeros before the first ping." })
  campaignHealth(@Parent() campaign: CampaignModel, @Context('req') req: object): Promise<CampaignHealthModel> {
    const loader = requestLoader(req, 'campaignHealth', () => new BatchLoader<string, CampaignHealthModel>((ids) => this.health.healthOf(ids), () => NO_HEALTH));
    return loader.load(campaign.id);
  }
}
