import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { UpdateVerticalInput } from './update-vertical.input';
import { VerticalModel } from './vertical.output';
import { VerticalsService } from './verticals.service';

@Resolver(() => VerticalModel)
export class VerticalsResolver {
  constructor(private readonly service: VerticalsService) {}

  @Query(() => [VerticalModel], { description: 'The verticals leads are sold in, with their field schemas.' })
  verticals(@CurrentUser() user: AuthUser): Promise<VerticalModel[]> {
    return this.service.list(user);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => VerticalModel, {
    description: "ADMIN. Changes a vertical's selling rules (fields left out stay as they are); not_found for an unknown key.",
  })
  updateVertical(@Args('key') key: string, @Args('input') input: UpdateVerticalInput): Promise<VerticalModel> {
    return this.service.update(key, input);
  }
}
