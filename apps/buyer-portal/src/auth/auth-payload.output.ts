import { Field, ObjectType } from '@nestjs/graphql';
import { UserModel } from '../users/user.output';

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field({ description: 'A JWT: send it as `Authorization: Bearer <token>`.' }) token: string;
  @Field(() => UserModel) user: UserModel;
}
