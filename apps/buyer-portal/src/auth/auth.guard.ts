import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { bearerTokenOf, requestOf } from './request.util';

/**
 * Global guard: every operation needs a valid bearer token unless marked @Public(); @Roles() narrows it.
 * No token or a bad one → `unauthorized`; a valid token with the wrong role → `forbidden`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = requestOf(ctx);
    // One request carries one token: authenticate once even when several root fields are asked.
    const user = (req.user ??= await this.auth.authenticate(bearerTokenOf(req)));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(user.role)) {
      throw new DomainException(ErrorCode.Forbidden, `This operation is for ${roles.join(' or ')} users; you are ${user.role}`);
    }
    return true;
  }
}
