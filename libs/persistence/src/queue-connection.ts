import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from REDIS_URL. Workers wait out a Redis outage (maxRetriesPerRequest
 * null, as BullMQ requires); producers fail fast instead (no offline queue), so the outbox relay
 * rolls back and the deliveries wait in PostgreSQL.
 */
export function queueConnection(redisUrl: string, role: 'worker' | 'producer'): ConnectionOptions {
  const url = new URL(redisUrl);
  const base = {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 2000,
    // Reconnect within 2 s of Redis coming back (ioredis/BullMQ would otherwise wait up to 20 s).
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
  return role === 'worker'
    ? { ...base, maxRetriesPerRequest: null }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}
