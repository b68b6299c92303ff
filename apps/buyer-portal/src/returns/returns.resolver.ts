import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { LeadReturnConnection, LeadReturnModel, ReturnReason, ReturnStatus } from './lead-return.output';
import { ReturnsService } from './returns.service';

@Resolver(() => LeadReturnModel)
export class ReturnsResolver {
  constructor(private readonly service: ReturnsService) {}

  @Roles(Role.BUYER)
  @Mutation(() => LeadReturnModel, {
    description:
      "BUYER. Asks to return a lead its buyer bought, within the vertical's return window (default 7 days from the sale); " +
      'one PENDING or APPROVED return per purchase. Refused with `return_window_closed` after the window, `return_rate_exceeded` ' +
      "over the buyer's maximum return rate, `conflict` when already returned or requested, `not_found` for a lead it did not buy. " +
      'APPROVED at once when the vertical auto-approves the reason.',
  })
  requestReturn(
    @CurrentUser() user: AuthUser,
    @Args('leadId', { type: () => ID }) leadId: string,
    @Args('reason', { type: () => ReturnReason }) reason: ReturnReason,
    @Args('note', { type: () => String, nullable: true, description: 'At most 1000 characters.' }) note: string | null,
  ): Promise<LeadReturnModel> {
    return this.service.request(user, leadId, reason, note);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => LeadReturnModel, {
    description:
      "ADMIN. Decides a PENDING return. Approving reverses the sale in the ledger (buyer credited the price, supplier's payout " +
      'clawed back, margin reversed), marks the lead returned and tells the supplier; `conflict` when already decided.',
  })
  decideReturn(
    @CurrentUser() user: AuthUser,
    @Args('id', { type: () => ID }) id: string,
    @Args('approve') approve: boolean,
    @Args('note', { type: () => String, nullable: true, description: 'At most 1000 characters.' }) note: string | null,
  ): Promise<LeadReturnModel> {
    return this.service.decide(user, id, approve, note);
  }

  @Query(() => LeadReturnConnection, {
    description:
      "Returns, newest first. BUYER: its own buyer's; ADMIN, FINANCE: all. `first` defaults to 20, clamped to the server maximum.",
  })
  returns(
    @CurrentUser() user: AuthUser,
    @Args('status', { type: () => ReturnStatus, nullable: true }) status: ReturnStatus | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LeadReturnConnection> {
    return this.service.list(user, status, first, after);
  }

  @Query(() => LeadReturnModel, { nullable: true, description: "One return. BUYER: its own buyer's only (null otherwise)." })
  leadReturn(@CurrentUser() user: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<LeadReturnModel | null> {
    return this.service.findVisible(user, id);
  }
}
