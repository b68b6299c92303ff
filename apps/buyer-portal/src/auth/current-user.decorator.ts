import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { AuthUser } from './auth.types';
import { requestOf } from './request.util';

/** The signed-in user (set by the global AuthGuard). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = requestOf(ctx).user;
  if (!user) throw new DomainException(ErrorCode.Unauthorized, 'Sign in first: send Authorization: Bearer <token>');
  return user;
});
