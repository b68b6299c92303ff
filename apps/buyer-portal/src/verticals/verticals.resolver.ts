import { Query, Resolver } from '@nestjs/graphql';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { VerticalModel } from './vertical.output';
import { VerticalsService } from './verticals.service';

@Resolver(() => VerticalModel)
export class VerticalsResolver {
  constructor(private readonly service: VerticalsService) {}

  @Query(() => [VerticalModel], { description: 'The verticals leads are sold in, with their field schemas.' })
  verticals(@CurrentUser() user: AuthUser): Promise<VerticalModel[]> {
    return this.service.list(user);
  }
}
