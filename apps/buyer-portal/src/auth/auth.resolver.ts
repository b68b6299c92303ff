import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { UserModel } from '../users/user.output';
import { AuthPayload } from './auth-payload.output';
import { AuthService } from './auth.service';
import { AuthUser } from './auth.types';
import { CurrentUser } from './current-user.decorator';
import { Public } from './roles.decorator';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Signs in; the token goes in `Authorization: Bearer <token>`.' })
  login(@Args('email') email: string, @Args('password') password: string): Promise<AuthPayload> {
    return this.auth.login(email, password);
  }

  @Query(() => UserModel, { description: 'The signed-in user.' })
  me(@CurrentUser() user: AuthUser): UserModel {
    return user;
  }
}
