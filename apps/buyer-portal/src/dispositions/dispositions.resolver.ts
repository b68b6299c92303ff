import { Args, Context, Field, ID, Mutation, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BatchLoader, requestLoader } from '../common/batch-loader.util';
import { LeadModel } from '../leads/lead.output';
import { LeadsService } from '../leads/leads.service';
import { Disposition } from './disposition.enum';
import { DispositionRecord, DispositionsService } from './dispositions.service';

@ObjectType('LeadDisposition')
export class LeadDispositionModel {
  @Field(() => Disposition) disposition: Disposition;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Date) at: Date;
}

@Resolver(() => LeadModel)
export class DispositionsResolver {
  constructor(
    private readonly service: DispositionsService,
    private readonly leads: LeadsService,
  ) {}

  @Roles(Role.BUYER)
  @Mutation(() => LeadModel, { description: 'BUYER (own purchases). Reports what became of a lead; the latest report is its disposition.' })
  async recordDisposition(
    @CurrentUser() user: AuthUser,
    @Args('leadId', { type: () => ID }) leadId: string,
    @Args('disposition', { type: () => Disposition }) disposition: Disposition,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
  ): Promise<LeadModel> {
    await this.service.record(user, leadId, disposition, note ?? null);
    return (await this.leads.findVisible(user, leadId))!;
  }

  @ResolveField('disposition', () => LeadDispositionModel, { nullable: true, description: "The buyer's latest report on this lead." })
  disposition(@Parent() lead: LeadModel, @CurrentUser() user: AuthUser, @Context('req') req: object): Promise<DispositionRecord | null> {
    const loader = requestLoader(req, 'leadDisposition', () => new BatchLoader<string, DispositionRecord | null>((ids) => this.service.latest(user, ids), () => null));
    return loader.load(lead.id);
  }
}
