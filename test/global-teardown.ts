import { Client } from 'pg';

/** Drops the run's database unless KEEP_TEST_DB is set (to look at it after a failure). */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.LEADEX_TEST_DATABASE_URL;
  if (!url || process.env.KEEP_TEST_DB || (globalThis as any).__leadexDropped) return;
  (globalThis as any).__leadexDropped = true;
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
