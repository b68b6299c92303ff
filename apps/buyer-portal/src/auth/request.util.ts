import { ExecutionContext } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { PortalRequest } from './auth.types';

/** The HTTP request behind a resolver or a controller. */
export function requestOf(ctx: ExecutionContext): PortalRequest {
  if (ctx.getType<GqlContextType>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: PortalRequest }>().req;
  return ctx.switchToHttp().getRequest<PortalRequest>();
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerTokenOf(req: PortalRequest): string | null {
  const header = req.headers?.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
