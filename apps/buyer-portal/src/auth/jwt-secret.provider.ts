import { randomBytes } from 'crypto';
import type Redis from 'ioredis';
import { LeadexConfig } from '@leadex/config';

export const DEV_JWT_SECRET_KEY = 'leadex:dev-jwt-secret';

/**
 * JWT_SECRET when configured (always, in production: config refuses to boot without it). Otherwise a
 * generated development secret, stored in Redis with SET NX so every portal process signs and verifies
 * with the same one; if Redis cannot be reached, a per-process secret (tokens then work on this process only).
 */
export async function resolveJwtSecret(config: LeadexConfig, redis: Redis, warn: (msg: string) => void): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.isProduction) throw new Error('JWT_SECRET is required in production');
  const candidate = randomBytes(48).toString('base64url');
  try {
    await redis.set(DEV_JWT_SECRET_KEY, candidate, 'NX');
    const shared = await redis.get(DEV_JWT_SECRET_KEY);
    if (shared) {
      warn(`JWT_SECRET is not set: using a generated development secret shared through Redis (${DEV_JWT_SECRET_KEY}). Set JWT_SECRET in production.`);
      return shared;
    }
  } catch (e) {
    warn(`JWT_SECRET is not set and Redis is unreachable (${(e as Error).message}): using a per-process secret.`);
    return candidate;
  }
  warn('JWT_SECRET is not set: using a per-process generated secret.');
  return candidate;
}
