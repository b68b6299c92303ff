/**
 * `npm start`: prepares the database (create if missing, migrate), makes sure an admin exists,
 * then runs the exchange, the buyer portal and the delivery worker as child processes and prints their URLs.
 * Either child dying stops the whole (a supervisor such as systemd or k8s restarts it).
 */
import { ChildProcess, fork } from 'child_process';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { ConfigValidationError, LeadexConfig, loadConfig } from '@leadex/config';
import { dataSourceOptions, ensureDatabase, migrate } from '@leadex/persistence';
import { bootstrapAdmin } from '../apps/buyer-portal/src/admin-bootstrap';

async function prepare(config: LeadexConfig): Promise<void> {
  if (await ensureDatabase(config.DATABASE_URL)) console.log(`Created database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);
  const applied = await migrate(config.DATABASE_URL);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, 2, 'leadex-start'));
  await ds.initialize();
  try {
    await bootstrapAdmin(ds, config, (msg) => console.log(msg));
  } finally {
    await ds.destroy();
  }
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs / 1000}s`);
}

async function main(): Promise<void> {
  let config: LeadexConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  await prepare(config);

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5000).unref();
    Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
  };
  const run = (name: string, script: string) => {
    const child = fork(join(__dirname, '..', script), [], { env: { ...process.env, LEADEX_APP: name }, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping Leadex`);
        stop(code || 1);
      }
    });
    children.push(child);
    return child;
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const exchange = run('exchange', 'apps/exchange/src/main.js');
  const portal = run('buyer-portal', 'apps/buyer-portal/src/main.js');
  run('worker', 'apps/exchange/src/worker.js');
  const exchangeUrl = `http://127.0.0.1:${config.EXCHANGE_PORT}`;
  const portalUrl = `http://127.0.0.1:${config.PORTAL_PORT}`;
  await Promise.all([waitHealthy(exchangeUrl, exchange), waitHealthy(portalUrl, portal)]);
  console.log(
    [
      '',
      'Leadex is up.',
      `  Supplier API (exchange):  ${exchangeUrl}   — OpenAPI docs at ${exchangeUrl}/docs`,
      `  Buyer portal (GraphQL):   ${portalUrl}/graphql`,
      `  Delivery queues (ADMIN):  ${portalUrl}/admin/queues`,
      `  Health:                   ${exchangeUrl}/health, ${portalUrl}/health`,
      '',
    ].join('\n'),
  );
}

main().catch((e) => {
  console.error(`Leadex failed to start: ${e?.message ?? e}`);
  process.exit(1);
});
