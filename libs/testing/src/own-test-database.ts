import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { migrate } from '@leadex/persistence';

export interface OwnTestDatabase {
  url: string;
  /** Drops the database (unless KEEP_TEST_DB is set) and points the env back at the run's database and queue. */
  drop(): Promise<void>;
}

/**
 * A database (and queue prefix) of this suite's own, built by the real migrations, and made the one
 * `connectTestDb()`, `startExchange()` and spawned processes use (DATABASE_URL, LEADEX_TEST_DATABASE_URL
 * and QUEUE_PREFIX of this test file's process.env). For suites that run delivery workers: a worker's
 * relay claims every due delivery in its database, and its consumer takes every job of its queue, so
 * two suites sharing the run's database or queue (jest runs files in parallel) would make each
 * other's deliveries with their own settings, or drop each other's jobs as unknown.
 */
export async function useOwnTestDatabase(): Promise<OwnTestDatabase> {
  const runUrl = process.env.LEADEX_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!runUrl) throw new Error('no test database: run under jest (test/global-setup.ts)');
  const base = new URL(runUrl);
  const name = `${base.pathname.slice(1)}_${randomBytes(4).toString('hex')}`.slice(0, 63);
  const adminUrl = new URL(runUrl);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const own = new URL(runUrl);
  own.pathname = `/${name}`;
  const url = own.toString();
  await migrate(url);
  const saved = { LEADEX_TEST_DATABASE_URL: process.env.LEADEX_TEST_DATABASE_URL, DATABASE_URL: process.env.DATABASE_URL, QUEUE_PREFIX: process.env.QUEUE_PREFIX };
  process.env.LEADEX_TEST_DATABASE_URL = url;
  process.env.DATABASE_URL = url;
  process.env.QUEUE_PREFIX = `leadex-${name}`;
  return {
    url,
    drop: async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      if (process.env.KEEP_TEST_DB) return;
      const c = new Client({ connectionString: adminUrl.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
