import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { REDIS } from '@leadex/persistence';
import { SupplierProfile } from '../market/catalog.types';

/**
 * Per-supplier ping/post rate, counted in Redis per second so every exchange process shares it.
 * If Redis is unreachable the request goes through: a lost counter must not lose leads.
 */
@Injectable()
export class SupplierRateLimitGuard implements CanActivate {
  private readonly log = new Logger(SupplierRateLimitGuard.name);

  constructor(@Inject(REDIS) private readonly redis: Redis, private readonly config: LeadexConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const supplier: SupplierProfile = context.switchToHttp().getRequest().supplier;
    const limit = supplier.rateLimitPerSec ?? this.config.SUPPLIER_RATE_LIMIT_PER_SEC;
    const nowMs = Date.now();
    const key = `leadex:rate:${supplier.id}:${Math.floor(nowMs / 1000)}`;
    // While Redis is down, let requests through at once: waiting out reconnects would delay sales.
    if (this.redis.status !== 'ready') return true;
    let count: number;
    try {
      const res = await this.redis.multi().incr(key).expire(key, 2).exec();
      count = Number(res?.[0]?.[1] ?? 0);
    } catch (e) {
      this.log.warn(`rate limiter unavailable, letting the request through: ${(e as Error).message}`);
      return true;
    }
    if (count > limit) {
      throw new DomainException(ErrorCode.RateLimited, `Over your rate of ${limit} requests per second; retry after the Retry-After delay`, [], {
        'Retry-After': '1',
      });
    }
    return true;
  }
}
