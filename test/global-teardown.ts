import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Drops the run's database unless KEEP_TEST_DB is set (to look at it after a failure), and deletes the
 * run's queue keys from the shared Redis (every suite's QUEUE_PREFIX starts with the run's database name).
 */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.LEADEX_TEST_DATABASE_URL;
  if (!url || process.env.KEEP_TEST_DB || (globalThis as any).__leadexDropped) return;
  (globalThis as any).__leadexDropped = true;
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await dropQueueKeys(`leadex-${name}`).catch((e) => console.warn(`could not clear the run's queue keys: ${(e as Error).message}`));
}

async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
