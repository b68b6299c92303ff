/**
 * `npm run bench -- export`: the finance export and the month report over a million sales.
 *
 * 1. Recreates `leadex_bench_export` (real migrations) and seeds, set-based (generate_series), 20
 *    suppliers, 20 buyers, 100 campaigns and BENCH_EXPORT_SALES (1,000,000) leads each sold once, spread
 *    over May 2026; the report rollups are then built by the migration's own backfill.
 * 2. Measures the rollup triggers' cost on the sale path: the same 2,000 one-sale transactions with the
 *    report trigger on and off (µs per sale).
 * 3. Starts the built buyer portal, downloads GET /exports/billing.csv for the month as FINANCE,
 *    counting rows, and samples the portal's RSS every 50 ms: time, rows/s, peak RSS.
 * 4. Times the month's operatorReport / buyerReport (GraphQL, over HTTP) several times each.
 * Writes bench-results/export.{md,json}. BENCH_EXPORT_DATABASE_URL, BENCH_EXPORT_PORT (3960),
 * BENCH_EXPORT_PORTAL_HEAP_MB (caps the portal's V8 heap, to prove the export's memory flat).
 */
import { spawn } from 'child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join, resolve } from 'path';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { ReportRollups1763800000900 } from '../../migrations/1763800000900-report-rollups';
import { resetDatabase } from './bench-market';
import { freePort, vmRssMb } from './exchange-process';

const ROOT = resolve(__dirname, '../../..');
const env = process.env;
const DATABASE_URL = env.BENCH_EXPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadex_bench_export';
const SALES = Number(env.BENCH_EXPORT_SALES ?? 1_000_000);
const OUT_DIR = join(ROOT, 'bench-results');
const log = (msg: string) => console.log(`[bench:export] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await f();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

async function seed(db: Client): Promise<void> {
  // replica role: no triggers and no FK checks while bulk loading rows that are consistent by construction
  await db.query(`SET session_replication_role = replica`);
  await db.query(`
    INSERT INTO suppliers (name, api_key_hash, api_key_prefix)
    SELECT 'Supplier ' || i, 'bench-hash-' || i, 'lx_b' || i FROM generate_series(1, 20) i;
    INSERT INTO buyers (name) SELECT 'Buyer ' || i FROM generate_series(1, 20) i;
    INSERT INTO campaigns (buyer_id, name, vertical_key, bid)
    SELECT b.id, b.name || ' campaign ' || k, (ARRAY['auto-insurance', 'mortgage', 'solar'])[1 + k % 3], 10
      FROM buyers b, generate_series(1, 5) k;
  `);
  await db.query(`
    CREATE TEMP TABLE seq AS
    SELECT g, timestamptz '2026-05-01' + (g::float8 / $1) * interval '31 days' AS at FROM generate_series(0, $1 - 1) g;
  `, [SALES]);
  await db.query(`
    CREATE TEMP TABLE camp AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, buyer_id, vertical_key FROM campaigns;
    CREATE TEMP TABLE sup AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM suppliers;
    INSERT INTO leads (id, supplier_id, vertical_key, status, fields, source, sales_count, price_total, payout_total, created_at, sold_at)
    SELECT md5('lead' || g)::uuid, sup.id, camp.vertical_key, 'sold',
           jsonb_build_object('first_name', 'Ana', 'last_name', 'Diaz', 'email', 'a' || g || '@example.com', 'phone', '+1305555' || lpad((g % 10000)::text, 4, '0'),
                              'zip', '33101', 'state', (ARRAY['FL', 'TX', 'CA', 'NY', 'GA'])[1 + g % 5], 'age', 20 + g % 50),
           jsonb_build_object('sub_id', 'sub-' || (g % 50)), 1, 10 + (g % 1000) / 100.0, round((10 + (g % 1000) / 100.0) * 0.7, 2),
           seq.at - interval '200 milliseconds', seq.at
      FROM seq JOIN camp ON camp.n = seq.g % 100 JOIN sup ON sup.n = seq.g % 20;
  `);
  await db.query(`
    INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status, sold_at)
    SELECT l.id, camp.id, camp.buyer_id, l.supplier_id, l.vertical_key, l.price_total, l.payout_total, l.price_total - l.payout_total,
           'SOLD', l.sold_at
      FROM seq JOIN camp ON camp.n = seq.g % 100 JOIN leads l ON l.id = md5('lead' || seq.g)::uuid;
  `);
  await db.query(`SET session_replication_role = origin`);
  await new ReportRollups1763800000900().backfill({ query: (sql: string) => db.query(sql) } as never);
  await db.query(`ANALYZE`);
}

/**
 * µs per sale the report triggers add: 2,000 sales, each in its own transaction as on the sale path
 * (rolled back, so each run starts from the same rollup rows), with the triggers and without.
 */
async function triggerCost(db: Client): Promise<{ withMs: number; withoutMs: number; perSaleUs: number }> {
  const N = 2_000;
  const { rows } = await db.query(
    `SELECT l.id AS lead_id, l.supplier_id, l.vertical_key, c.id AS campaign_id, c.buyer_id
       FROM (SELECT l.id, l.supplier_id, l.vertical_key, s.buyer_id FROM leads l JOIN sales s ON s.lead_id = l.id ORDER BY l.id LIMIT $1) l
       CROSS JOIN LATERAL (SELECT id, buyer_id FROM campaigns c
                            WHERE c.vertical_key = l.vertical_key AND c.buyer_id <> l.buyer_id ORDER BY c.id LIMIT 1) c`,
    [N],
  );
  const run = async () => {
    const [, ms] = await timed(async () => {
      for (const r of rows) {
        await db.query('BEGIN');
        await db.query({
          name: 'bench-sale',
          text: `INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status, sold_at)
                 VALUES ($1, $2, $3, $4, $5, 10, 7, 3, 'SOLD', now())`,
          values: [r.lead_id, r.campaign_id, r.buyer_id, r.supplier_id, r.vertical_key],
        });
        await db.query('ROLLBACK');
      }
    });
    return ms;
  };
  await run(); // warm the cache and the plans
  const withMs = await run();
  await db.query(`ALTER TABLE sales DISABLE TRIGGER sales_report_insert`);
  const withoutMs = await run();
  await db.query(`ALTER TABLE sales ENABLE TRIGGER sales_report_insert`);
  return { withMs, withoutMs, perSaleUs: Math.round(((withMs - withoutMs) / N) * 1000) };
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  log(`resetting ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`);
  await resetDatabase(DATABASE_URL);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const [, seedMs] = await timed(() => seed(db));
  log(`seeded ${SALES.toLocaleString('en-US')} sales in ${(seedMs / 1000).toFixed(1)} s`);
  const trig = await triggerCost(db);
  log(`report triggers on the sale path: ${trig.perSaleUs} µs per sale (2,000 sales, one transaction each: ${trig.withMs.toFixed(0)} ms with, ${trig.withoutMs.toFixed(0)} ms without)`);

  const password = 'bench-finance-password';
  await db.query(`INSERT INTO users (email, password_hash, role) VALUES ('finance@bench.local', $1, 'FINANCE')`, [await argon2.hash(password, { type: argon2.argon2id })]);

  const port = await freePort(Number(env.BENCH_EXPORT_PORT ?? 3960));
  const logFile = join(OUT_DIR, 'export-portal.log');
  // A cap on the portal's V8 heap (MiB) proves the export's memory flat: it cannot finish otherwise.
  const heapCap = env.BENCH_EXPORT_PORTAL_HEAP_MB ? [`--max-old-space-size=${Number(env.BENCH_EXPORT_PORTAL_HEAP_MB)}`] : [];
  if (heapCap.length) log(`portal started with ${heapCap[0]}`);
  const child = spawn(process.execPath, [...heapCap, join(ROOT, 'dist/apps/buyer-portal/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: env.PATH ?? '', HOME: env.HOME ?? '', NODE_ENV: 'production', DATABASE_URL, REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PORTAL_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', JWT_SECRET: 'bench-only-jwt-secret-0123456789abcdef',
      ADMIN_EMAIL: 'admin@bench.local', ADMIN_PASSWORD: 'bench-admin-password',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(logFile);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error(`the portal did not start; see ${logFile}`);
      await sleep(100);
    }
    const gql = async (query: string, token?: string) => {
      const r = await fetch(`${base}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      });
      const body = (await r.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const token = (await gql(`mutation { login(email: "finance@bench.local", password: "${password}") { token } }`)).login.token as string;

    const idleRss = vmRssMb(child.pid!) ?? 0;
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, vmRssMb(child.pid!) ?? 0)), 50);
    const [exported, exportMs] = await timed(async () => {
      const res = await fetch(`${base}/exports/billing.csv?from=2026-05-01&to=2026-05-31`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
      let lines = 0;
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
      }
      return { rows: lines - 1, bytes };
    });
    clearInterval(sampler);
    if (exported.rows !== SALES) throw new Error(`exported ${exported.rows} rows, expected ${SALES}`);
    const rowsPerS = Math.round(exported.rows / (exportMs / 1000));
    log(`billing.csv: ${exported.rows.toLocaleString('en-US')} rows, ${(exported.bytes / 1e6).toFixed(0)} MB in ${(exportMs / 1000).toFixed(1)} s = ${rowsPerS.toLocaleString('en-US')} rows/s; portal RSS ${idleRss} MB idle, peak ${peakRss} MB`);

    const reports: Record<string, { medianMs: number; maxMs: number }> = {};
    for (const [name, q] of [
      ['operatorReport DAY', `{ operatorReport(from: "2026-05-01", to: "2026-05-31", groupBy: DAY) { totals { sales grossVolume margin } captureToSale { p50Ms p95Ms } } }`],
      ['operatorReport SUPPLIER', `{ operatorReport(from: "2026-05-01", to: "2026-05-31", groupBy: SUPPLIER) { rows { key grossVolume } } }`],
      ['buyerReport CAMPAIGN', `{ buyerReport(from: "2026-05-01", to: "2026-05-31", groupBy: CAMPAIGN) { rows { key spend winRate } totals { spend } } }`],
      ['buyerReport SUB_ID', `{ buyerReport(from: "2026-05-01", to: "2026-05-31", groupBy: SUB_ID) { rows { key spend } } }`],
      ['supplierReport STATE', `{ supplierReport(from: "2026-05-01", to: "2026-05-31", groupBy: STATE) { rows { key leadsPosted revenue } } }`],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) times.push((await timed(() => gql(q, token)))[1]);
      times.sort((x, y) => x - y);
      reports[name] = { medianMs: Math.round(times[3] * 10) / 10, maxMs: Math.round(times[6] * 10) / 10 };
      log(`${name} over the month: median ${reports[name].medianMs} ms, max ${reports[name].maxMs} ms (7 runs)`);
    }
    const result = { at: new Date().toISOString(), sales: SALES, cpus: cpus().length, seedMs, trigger: trig, export: { ...exported, ms: exportMs, rowsPerS, idleRssMb: idleRss, peakRssMb: peakRss }, reports };
    writeFileSync(join(OUT_DIR, 'export.json'), JSON.stringify(result, null, 2));
    const md = [
      `| what | figure |`, `|---|---:|`,
      `| billing.csv, ${SALES.toLocaleString('en-US')} rows (${(exported.bytes / 1e6).toFixed(0)} MB) | ${(exportMs / 1000).toFixed(1)} s, ${rowsPerS.toLocaleString('en-US')} rows/s |`,
      `| portal RSS idle → peak during the export | ${idleRss} → ${peakRss} MB |`,
      ...Object.entries(reports).map(([k, v]) => `| ${k}, one month | median ${v.medianMs} ms, max ${v.maxMs} ms |`),
      `| report triggers on the sale path | ${trig.perSaleUs} µs per sale |`,
    ].join('\n');
    writeFileSync(join(OUT_DIR, 'export.md'), `${md}\n`);
    console.log(`\n${md}\n`);
  } finally {
    child.kill('SIGTERM');
    await db.end();
  }
}

/** Run by `npm run bench -- export` (tools/bench/run.ts) or directly. */
export const runExportBench = main;

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
