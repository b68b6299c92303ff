import { Client } from 'pg';
import { register } from 'tsconfig-paths';

// globalSetup runs outside jest's module mapper: resolve @leadex/* the way tsconfig does.
register({ baseUrl: `${__dirname}/..`, paths: require('../tsconfig.json').compilerOptions.paths });
const { migrate } = require('../libs/persistence/src/data-source') as typeof import('../libs/persistence/src/data-source');

/**
 * One fresh database per test run, built by the real migrations; every worker inherits its URL.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.LEADEX_TEST_DATABASE_URL) return; // another project of this run made it already
  const base = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
  const name = `leadex_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${base}/${name}`;
  await migrate(url);
  process.env.LEADEX_TEST_DATABASE_URL = url;
  process.env.DATABASE_URL = url;
  process.env.NODE_ENV = 'test';
  // Queues of this run apart from any other run's (or a running Leadex's) in the shared Redis.
  process.env.QUEUE_PREFIX = `leadex-${name}`;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
}
