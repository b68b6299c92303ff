import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CampaignStatus, Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { CampaignInput, CampaignUpdateInput } from './campaign.input';
import { CampaignModel } from './campaign.output';
import { CampaignsService } from './campaigns.service';

@Resolver(() => CampaignModel)
export class CampaignsResolver {
  constructor(private readonly service: CampaignsService) {}

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
  @Mutation(() => CampaignModel, { description: 'Pause or resume. BUYER: own campaigns only.' })
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
}
