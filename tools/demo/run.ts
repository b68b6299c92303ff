/**
 * `npm run demo`: a working exchange for a newcomer, in one command.
 *
 * 1. Drops and recreates the demo database (DATABASE_URL, default leadex_demo; only databases named
 *    leadex_demo* are ever dropped) and applies the real migrations.
 * 2. Starts four mock buyers on local ports (libs/testing's mock buyer server: latency, bids, accept
 *    rate, one XML buyer, one that is sometimes later than its timeout).
 * 3. Seeds through SQL an admin, a finance user, two suppliers, six buyers with a portal user each,
 *    live campaigns pointing at the mock buyers and fixed-price campaigns with filters, caps and schedules.
 * 4. Starts the built exchange, buyer portal and delivery worker (as `npm start` does) with
 *    ALLOW_PRIVATE_BUYER_URLS=true, and a demo CRM that Fulcrum Media's leads are delivered to by
 *    webhook; the CRM is down for its first three requests, so the retries show.
 * 5. Streams simulated leads — direct posts and ping → post, some mismatching, a few duplicates — one
 *    line per lead and a summary every 10 s, until Ctrl-C or DEMO_DURATION_S; then stops everything.
 *
 * Environment: DATABASE_URL (postgres://postgres@127.0.0.1:5432/leadex_demo), REDIS_URL,
 * DEMO_EXCHANGE_PORT / DEMO_PORTAL_PORT (else EXCHANGE_PORT / PORTAL_PORT, else 3000 / 3001),
 * DEMO_RATE (5 leads/s), DEMO_DURATION_S (until Ctrl-C), DEMO_LOG_LEVEL (the apps' LOG_LEVEL, warn).
 */
import { ChildProcess, fork } from 'child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { DemoLiveBuyer, startDemoBuyers, stopDemoBuyers } from './demo-buyers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BUYER_PASSWORD, DemoMarket, isDemoDatabase, recreateDemoDatabase, seedDemoMarket } from './demo-market';
import { LeadStream } from './demo-traffic';
import { startWebhookReceiver, WebhookReceiver } from '../../libs/testing/src/webhook-receiver';

const env = process.env;
const DATABASE_URL = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/leadex_demo';
const EXCHANGE_PORT = Number(env.DEMO_EXCHANGE_PORT || env.EXCHANGE_PORT || 3000);
const PORTAL_PORT = Number(env.DEMO_PORTAL_PORT || env.PORTAL_PORT || 3001);
const RATE = Number(env.DEMO_RATE || 5);
const DURATION_S = env.DEMO_DURATION_S ? Number(env.DEMO_DURATION_S) : null;
const SUMMARY_EVERY_S = 10;
const LOG_DIR = join(tmpdir(), 'leadex-demo');
const HOST = '127.0.0.1';

const say = (line = '') => console.log(line);

interface App {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

/** The built app as a child process, its logs in a file (the terminal is for the leads). */
function startApp(name: string, script: string, port: number): App {
  const logFile = join(LOG_DIR, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const child = fork(join(__dirname, '..', '..', script), [], {
    env: {
      ...env,
      LEADEX_APP: name,
      NODE_ENV: 'development',
      DATABASE_URL,
      EXCHANGE_PORT: String(EXCHANGE_PORT),
      PORTAL_PORT: String(PORTAL_PORT),
      HOST,
      ALLOW_PRIVATE_BUYER_URLS: 'true', // the mock buyers listen on 127.0.0.1
      LOG_LEVEL: env.DEMO_LOG_LEVEL || 'warn',
      EXCHANGE_PROCESSES: '1',
      // the demo's queue apart from a Leadex that may run on the same Redis
      QUEUE_PREFIX: 'leadex-demo',
      // retries a newcomer can watch: seconds, not the production day
      DELIVERY_BACKOFF_BASE_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // its own process group: Ctrl-C reaches only the demo, which stops the leads first, then the apps
    detached: true,
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, url: `http://${HOST}:${port}`, child, logFile, exited };
}

/** The delivery worker has no HTTP server: it is up when it says so in its log. */
async function waitWorkerStarted(app: App, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | null | undefined;
  void app.exited.then((code) => (exit = code));
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`${app.name} exited with code ${exit}; its log (${app.logFile}) ends with:\n${tail(app.logFile)}`);
    if (tail(app.logFile, 50).includes('Leadex delivery worker started')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app.name} did not start within ${timeoutMs / 1000} s; see ${app.logFile}`);
}

async function waitHealthy(app: App, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | null | undefined;
  void app.exited.then((code) => (exit = code));
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`${app.name} exited with code ${exit}; its log (${app.logFile}) ends with:\n${tail(app.logFile)}`);
    try {
      if ((await fetch(`${app.url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app.name} was not healthy within ${timeoutMs / 1000} s; see ${app.logFile}`);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopApp(app: App): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const killer = setTimeout(() => app.child.kill('SIGKILL'), 8000);
  await app.exited;
  clearTimeout(killer);
}

/** A buyer's portal token, so the printed curl works as is. */
async function loginToken(portalUrl: string, email: string, password: string): Promise<string | null> {
  try {
    const res = await fetch(`${portalUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: email, p: password } }),
    });
    const json = (await res.json()) as { data?: { login?: { token?: string } } };
    return json.data?.login?.token ?? null;
  } catch {
    return null;
  }
}

function banner(market: DemoMarket, live: DemoLiveBuyer[], exchangeUrl: string, portalUrl: string, buyerToken: string | null, crm: WebhookReceiver): void {
  const dbName = new URL(DATABASE_URL).pathname.slice(1);
  const buyer = market.buyers.find((b) => b.letter === 'B') ?? market.buyers[0];
  const supplier = market.suppliers[0];
  const leadsQuery = '{ leads(first: 5) { totalCount edges { node { id status price soldAt campaign { name } fields } } } }';
  say();
  say('════════════════════════════════════════════════════════════════════════════════════════');
  say(' Leadex demo is running.');
  say('════════════════════════════════════════════════════════════════════════════════════════');
  say(` Exchange (supplier REST API)  ${exchangeUrl}        OpenAPI UI: ${exchangeUrl}/docs`);
  say(` Buyer portal (GraphQL)        ${portalUrl}/graphql`);
  say(` Database                      ${dbName} (dropped and recreated by every demo run; kept afterwards)`);
  say(` Delivery queues (ADMIN)       ${portalUrl}/admin/queues   (HTTP Basic: the admin below)`);
  say(` Fulcrum Media's CRM (demo)    ${crm.url}   (webhook deliveries land here; down for its first 3 requests)`);
  say(` App logs                      ${join(LOG_DIR, 'exchange.log')}, ${join(LOG_DIR, 'buyer-portal.log')}, ${join(LOG_DIR, 'worker.log')}`);
  say();
  say(` Admin (portal)     ${ADMIN_EMAIL} / ${ADMIN_PASSWORD}      finance: finance@leadex.demo / ${BUYER_PASSWORD}`);
  say(` Buyer (portal)     ${buyer.email} / ${BUYER_PASSWORD}   (${buyer.name}; every buyer: <name>@buyers.leadex.demo, same password:`);
  say(`                    ${market.buyers.map((b) => b.email.split('@')[0]).join(', ')})`);
  for (const s of market.suppliers) say(` Supplier API key   ${s.name.padEnd(20)} ${s.apiKey}   (payout ${s.payoutPercent} %)`);
  say();
  say(' Live buyers (mock endpoints on this machine):');
  for (const b of live) say(`   ${b.letter} ${b.name.padEnd(24)} ${b.server.url}  ${b.description}`);
  say(' Campaigns (auto-insurance):');
  for (const c of market.campaigns) say(`   ${c.name.padEnd(36)} ${c.pricing.padEnd(28)} ${c.notes}`);
  say();
  say(' Look around (in another terminal):');
  say(`   # the leads ${buyer.name} bought, with their personal data (a buyer token for this run):`);
  if (buyerToken) say(`   TOKEN=${buyerToken}`);
  else say(`   TOKEN=$(curl -s ${portalUrl}/graphql -H 'content-type: application/json' -d '{"query":"mutation { login(email: \\"${buyer.email}\\", password: \\"${BUYER_PASSWORD}\\") { token } }"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`);
  say(`   curl -s ${portalUrl}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`);
  say(`     -d '{"query":"${leadsQuery}"}'`);
  say(`   # one lead as its supplier sees it, with its timeline (lead ids: see the lines below, or the first summary):`);
  say(`   curl -s ${exchangeUrl}/v1/leads/<lead_id> -H 'authorization: Bearer ${supplier.apiKey}'`);
  say(`   # the API: ${exchangeUrl}/docs · the GraphQL schema: ${portalUrl}/graphql (introspection on)`);
  say();
  say(` Streaming ~${RATE} leads/s: direct posts and ping → post (some posts mismatch their ping, a few are duplicates).`);
  say(` Prices are the supplier's payout; "paid" is what the buyer paid. ${DURATION_S ? `Stops after ${DURATION_S} s` : 'Ctrl-C stops everything'}.`);
  say('════════════════════════════════════════════════════════════════════════════════════════');
  say();
}

async function main(): Promise<void> {
  if (!isDemoDatabase(DATABASE_URL)) {
    console.error(
      `DATABASE_URL names "${new URL(DATABASE_URL).pathname.slice(1)}": the demo drops and recreates its database, so it only uses ` +
        `databases named leadex_demo*. Run it with e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/leadex_demo npm run demo`,
    );
    process.exit(2);
  }
  for (const [what, port, variable] of [['exchange', EXCHANGE_PORT, 'DEMO_EXCHANGE_PORT'], ['buyer portal', PORTAL_PORT, 'DEMO_PORTAL_PORT']] as const) {
    if (!(await portFree(port))) {
      console.error(`Port ${port} (for the ${what}) is in use — is \`npm start\` running? Stop it, or pick another port with ${variable}=...`);
      process.exit(2);
    }
  }
  mkdirSync(LOG_DIR, { recursive: true });

  const apps: App[] = [];
  let buyers: DemoLiveBuyer[] = [];
  let stream: LeadStream | null = null;
  let crm: WebhookReceiver | null = null;
  let stopping: Promise<void> | null = null;
  const stop = (reason: string, code: number) =>
    (stopping ??= (async () => {
      say();
      say(`Stopping (${reason})...`);
      if (stream) await stream.stop();
      await Promise.all(apps.map(stopApp));
      await stopDemoBuyers(buyers);
      if (crm) say(`Fulcrum Media's CRM received ${crm.received.length} requests, ${crm.uniqueKeys().size} distinct leads (Idempotency-Key).`);
      await crm?.close();
      say(`Stopped. The database ${new URL(DATABASE_URL).pathname.slice(1)} is kept for a look (psql ${DATABASE_URL}); the next demo run recreates it.`);
      process.exit(code);
    })());
  process.on('SIGINT', () => void stop('Ctrl-C', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // output piped into a closed reader (e.g. `| head`): stop cleanly instead of dying with the apps left running
  process.stdout.on('error', () => void stop('output closed', 0));
  // whatever ends this process, the apps it started end with it
  process.on('exit', () => apps.forEach((a) => a.child.exitCode === null && a.child.signalCode === null && a.child.kill('SIGTERM')));

  try {
    say(`Recreating the database ${new URL(DATABASE_URL).pathname.slice(1)} (dropped if it existed: every demo run starts fresh)...`);
    const applied = await recreateDemoDatabase(DATABASE_URL);
    say(`Applied ${applied.length} migrations.`);
    buyers = await startDemoBuyers();
    say(`Started ${buyers.length} mock buyers on ${buyers.map((b) => b.server.url).join(', ')}.`);
    crm = await startWebhookReceiver({ failFirst: 3 });
    const market = await seedDemoMarket(DATABASE_URL, buyers, crm.url);
    say(`Seeded ${market.suppliers.length} suppliers, ${market.buyers.length} buyers with portal users, ${market.campaigns.length} campaigns.`);

    say(`Starting the exchange (port ${EXCHANGE_PORT}), the buyer portal (port ${PORTAL_PORT}) and the delivery worker...`);
    apps.push(startApp('exchange', 'apps/exchange/src/main.js', EXCHANGE_PORT), startApp('buyer-portal', 'apps/buyer-portal/src/main.js', PORTAL_PORT));
    const worker = startApp('worker', 'apps/exchange/src/worker.js', 0);
    await Promise.all([...apps.map((a) => waitHealthy(a)), waitWorkerStarted(worker)]);
    apps.push(worker);
    for (const app of apps) {
      void app.exited.then((code) => {
        if (!stopping) {
          console.error(`${app.name} stopped unexpectedly (exit ${code}); its log (${app.logFile}) ends with:\n${tail(app.logFile)}`);
          void stop(`${app.name} died`, 1);
        }
      });
    }
    const [exchange, portal] = apps;
    const beacon = market.buyers.find((b) => b.letter === 'B') ?? market.buyers[0];
    banner(market, buyers, exchange.url, portal.url, await loginToken(portal.url, beacon.email, BUYER_PASSWORD), crm);

    const liveLetters = new Map<string, string>();
    for (const c of market.campaigns) {
      const m = /^live \(([A-D])\)/.exec(c.pricing);
      if (m) liveLetters.set(c.id, m[1]);
    }
    stream = new LeadStream({
      exchangeUrl: exchange.url,
      suppliers: market.suppliers,
      databaseUrl: DATABASE_URL,
      rate: RATE,
      summaryEveryS: SUMMARY_EVERY_S,
      liveLetters,
      print: (line) => say(line),
    });
    stream.start();
    if (DURATION_S) setTimeout(() => void stop(`DEMO_DURATION_S=${DURATION_S} reached`, 0), DURATION_S * 1000);
  } catch (e) {
    console.error(`The demo failed to start: ${(e as Error).message}`);
    await stop('start failed', 1);
  }
}

void main();
