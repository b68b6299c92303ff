import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { LeadFilter } from './lead-filter.input';
import { LeadConnection } from './lead.output';
import { LeadsService } from './leads.service';

@Resolver()
export class LeadsResolver {
  constructor(private readonly service: LeadsService) {}

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
}
