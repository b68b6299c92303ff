import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { Roles } from '../auth/roles.decorator';
import { CreateUserInput } from './create-user.input';
import { UserModel } from './user.output';
import { UsersService } from './users.service';

@Resolver(() => UserModel)
export class UsersResolver {
  constructor(private readonly service: UsersService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => UserModel, { description: 'ADMIN. A BUYER user needs buyerId; a duplicate email is a `conflict`.' })
  createUser(@Args('input') input: CreateUserInput): Promise<UserModel> {
    return this.service.create(input);
  }

  @Roles(Role.ADMIN)
  @Query(() => [UserModel], { description: 'ADMIN. Every portal user.' })
  users(): Promise<UserModel[]> {
    return this.service.list();
  }
}
