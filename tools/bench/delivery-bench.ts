/**
 * `npm run bench -- delivery`: the delivery pipeline (apps/exchange/src/delivery) end to end.
 *
 * 1. Throughput of ONE worker process, per DELIVERY_CONCURRENCY in BENCH_DELIVERY_CONCURRENCY
 *    ("50,200"): recreates the database (real migrations), seeds BENCH_DELIVERY_LEADS (20,000) sold
 *    leads set-based in SQL — leads + SOLD sales of a campaign delivering by WEBHOOK, so the sales
 *    trigger writes the deliveries as on the sale path — then starts one worker and counts until every
 *    delivery is DELIVERED: deliveries/s, the worker's peak RSS and CPU, what its PostgreSQL backends
 *    wait on. The seeded sales have no ledger rows: the ledger's balance check is a trigger on
 *    ledger_entries only, so sales without them are valid rows, and delivery never reads the ledger.
 * 2. Sale → delivery latency: the built exchange and one worker on a fresh database (the `npm run
 *    bench` market, its 100 campaigns delivering by WEBHOOK); unique leads posted to POST /v1/leads at
 *    a steady BENCH_DELIVERY_RATE (200/s, open loop) for BENCH_DELIVERY_DURATION_S (30 s); per sold
 *    lead the time from the POST's answer to the receiver getting it, and from sales.sold_at to
 *    deliveries.delivered_at; and every sold lead delivered exactly once by Idempotency-Key.
 * The receiver is tools/bench/webhook-sink.ts (answers 200 at once), in the bench process.
 * Writes bench-results/delivery.{md,json} (BENCH_DELIVERY_OUTPUT names another file).
 *
 * Environment: BENCH_DELIVERY_DATABASE_URL (postgres://postgres@127.0.0.1:5432/leadex_bench_delivery),
 * BENCH_DELIVERY_LEADS, BENCH_DELIVERY_CONCURRENCY, BENCH_DELIVERY_RATE, BENCH_DELIVERY_DURATION_S,
 * BENCH_DELIVERY_LATENCY_CONCURRENCY (the worker's concurrency in part 2, default 50 = production
 * default), BENCH_DELIVERY_PARTS ("throughput,latency"), BENCH_DELIVERY_PORT (3980),
 * BENCH_QUIET_TIMEOUT_S (300), BENCH_PROFILE=1 (a CPU profile of the worker per run, summarised),
 * BENCH_SQL_TIMING=1 (client-side time of the worker's SQL statements), BENCH_DELIVERY_WITHOUT_REPORT_TRIGGER=1
 * (also each concurrency with the sale_to_delivery rollup trigger disabled, to show what it costs).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Pool } from 'undici';
import { DELIVERY_QUEUE } from '@leadex/contracts';
import { resetDatabase, seedMarket } from './bench-market';
import { describeMachine, waitForQuiet } from './bench-machine';
import { formatProfileSummary, summarizeCpuProfile } from './cpu-profile-summary';
import { DeliveryWorkerProcess } from './delivery-worker-process';
import { PgActivitySampler } from './pg-activity-sampler';
import { cpuSecondsOf, ExchangeProcess, freePort, machineCpuSeconds, processCpuSeconds } from './exchange-process';
import type { ProbeStepReport } from './exchange-probe';
import { LeadGenerator } from './lead-generator';
import { WebhookSink } from './webhook-sink';

const ROOT = resolve(__dirname, '../../..');
const env = process.env;
const DATABASE_URL = env.BENCH_DELIVERY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadex_bench_delivery';
const LEADS = Number(env.BENCH_DELIVERY_LEADS ?? 20_000);
const CONCURRENCIES = (env.BENCH_DELIVERY_CONCURRENCY ?? '50,200').split(',').map((s) => Number(s.trim())).filter((x) => x > 0);
const RATE = Number(env.BENCH_DELIVERY_RATE ?? 200);
const DURATION_S = Number(env.BENCH_DELIVERY_DURATION_S ?? 30);
const WARMUP_S = 5;
const LATENCY_CONCURRENCY = Number(env.BENCH_DELIVERY_LATENCY_CONCURRENCY ?? 50);
/** Also run each concurrency with the sale_to_delivery rollup trigger (deliveries_report) disabled: what it costs. */
const WITHOUT_REPORT_TRIGGER = env.BENCH_DELIVERY_WITHOUT_REPORT_TRIGGER === '1';
const PARTS = new Set((env.BENCH_DELIVERY_PARTS ?? 'throughput,latency').split(',').map((s) => s.trim()));
const QUIET_TIMEOUT_S = Number(env.BENCH_QUIET_TIMEOUT_S ?? 300);
const PROFILE = env.BENCH_PROFILE === '1';
const OUT_DIR = join(ROOT, 'bench-results');
const OUT_NAME = env.BENCH_DELIVERY_OUTPUT ?? 'delivery';
const RUN_ID = Date.now().toString(36);
const log = (msg: string) => console.log(`[bench:delivery] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now();
const r1 = (x: number) => Math.round(x * 10) / 10;

/** CPU of every party in seconds, for "% of one core" over a window. */
interface CpuSnapshot {
  worker: number;
  exchange: number;
  postgres: number;
  redis: number;
  bench: NodeJS.CpuUsage;
  machine: { busy: number; steal: number; total: number };
}

function cpuSnapshot(worker: DeliveryWorkerProcess, exchangeCpu: () => number = () => 0): CpuSnapshot {
  return {
    worker: worker.cpuSeconds(),
    exchange: exchangeCpu(),
    postgres: cpuSecondsOf('postgres'),
    redis: cpuSecondsOf('redis-server'),
    bench: process.cpuUsage(),
    machine: machineCpuSeconds(),
  };
}

interface CpuPct {
  worker: number;
  exchange: number;
  postgres: number;
  redis: number;
  /** the bench process: the receiver, and in part 2 the load generator */
  bench: number;
  machineBusy: number;
  otherProcesses: number;
  steal: number;
}

function cpuPct(a: CpuSnapshot, b: CpuSnapshot, wallS: number): CpuPct {
  const pct = (s: number) => Math.round((s / wallS) * 100);
  const benchUsage = process.cpuUsage(a.bench);
  const parts = {
    worker: pct(b.worker - a.worker),
    exchange: pct(b.exchange - a.exchange),
    postgres: pct(b.postgres - a.postgres),
    redis: pct(b.redis - a.redis),
    bench: pct((benchUsage.user + benchUsage.system) / 1e6),
  };
  const machineBusy = pct(b.machine.busy - a.machine.busy);
  return {
    ...parts,
    machineBusy,
    otherProcesses: Math.max(0, machineBusy - parts.worker - parts.exchange - parts.postgres - parts.redis - parts.bench),
    steal: pct(b.machine.steal - a.machine.steal),
  };
}

function percentiles(xs: number[]): { n: number; p50: number; p95: number; p99: number; max: number; min: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN);
  return {
    n: s.length,
    min: r1(s[0] ?? NaN),
    p50: r1(q(0.5)),
    p95: r1(q(0.95)),
    p99: r1(q(0.99)),
    max: r1(s[s.length - 1] ?? NaN),
    mean: r1(s.reduce((a, x) => a + x, 0) / Math.max(1, s.length)),
  };
}


/** The delivery worker's PostgreSQL backends (its application_name). */
const WORKER_BACKENDS = { applicationNameLike: 'leadex-worker', party: 'the worker' };

async function withDb<T>(f: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    return await f(db);
  } finally {
    await db.end();
  }
}

/** Clears the run's BullMQ keys from Redis (each worker run has a queue prefix of its own). */
async function dropQueue(prefix: string): Promise<void> {
  const queue = new Queue(DELIVERY_QUEUE, { connection: { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' } as never, prefix });
  try {
    await queue.obliterate({ force: true });
  } catch (e) {
    log(`could not clear queue ${prefix}: ${(e as Error).message}`);
  } finally {
    await queue.close();
  }
}

async function profileOf(report: ProbeStepReport | null): Promise<string | null> {
  if (!report?.profileFile) return null;
  const summary = summarizeCpuProfile(JSON.parse(readFileSync(report.profileFile, 'utf8')), 20);
  return formatProfileSummary(summary, `Worker CPU profile (${report.label})`);
}

// ---------------------------------------------------------------------------------------------
// Part 1: throughput of one worker

/** N sold leads of one campaign delivering by WEBHOOK to `url`; the sales trigger writes their deliveries. */
async function seedSoldLeads(db: Client, n: number, url: string): Promise<void> {
  const { rows: [ids] } = await db.query(
    `WITH s AS (INSERT INTO suppliers (name, api_key_hash, api_key_prefix) VALUES ('Bench supplier', 'bench-hash-d', 'lx_bd') RETURNING id),
          b AS (INSERT INTO buyers (name) VALUES ('Bench buyer') RETURNING id)
     SELECT s.id AS supplier_id, b.id AS buyer_id FROM s, b`,
  );
  const { rows: [campaign] } = await db.query(
    `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, status, delivery)
     VALUES ($1, 'Bench webhook campaign', 'auto-insurance', 12.50, 'ACTIVE', jsonb_build_object('method', 'WEBHOOK', 'url', $2::text)) RETURNING id`,
    [ids.buyer_id, url],
  );
  await db.query(
    `INSERT INTO leads (supplier_id, vertical_key, status, fields, source, sales_count, price_total, payout_total, sold_at)
     SELECT $1, 'auto-insurance', 'sold',
            jsonb_build_object('first_name', 'Ana', 'last_name', 'Diaz', 'email', 'ana' || g || '@example.com',
                               'phone', '+1305555' || lpad((g % 10000)::text, 4, '0'), 'street_address', g || ' Ocean Drive',
                               'zip', '33101', 'state', (ARRAY['FL', 'TX', 'CA', 'NY', 'GA'])[1 + g % 5], 'age', 20 + g % 50,
                               'credit_rating', 'good', 'homeowner', g % 2 = 0, 'vehicle_year', 2010 + g % 15),
            jsonb_build_object('sub_id', 'sub-' || (g % 50)), 1, 12.50, 8.75, now()
       FROM generate_series(1, $2) g`,
    [ids.supplier_id, n],
  );
  await db.query(
    `INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status)
     SELECT id, $1, $2, supplier_id, vertical_key, 12.50, 8.75, 3.75, 'SOLD' FROM leads`,
    [campaign.id, ids.buyer_id],
  );
  const { rows: [made] } = await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE kind = 'LEAD' AND status = 'PENDING'`);
  if (made.n !== n) throw new Error(`the sales trigger wrote ${made.n} deliveries for ${n} sales`);
  await db.query('ANALYZE');
}

interface ThroughputRun {
  concurrency: number;
  /** false: the deliveries_report trigger was disabled for this run (a diagnostic, not production) */
  reportTrigger: boolean;
  leads: number;
  delivered: number;
  failed: number;
  /** first to last delivered_at (PostgreSQL clock) */
  spanS: number;
  perSec: number;
  /** between 10 % and 90 % delivered: the steady rate, without start-up and tail */
  steadyPerSec: number;
  /** from starting the worker process (boot included) to the last delivery */
  wallS: number;
  bootS: number;
  peakRssMb: number;
  cpuPct: CpuPct;
  workerCpuMsPerDelivery: number;
  machineCpuMsPerDelivery: number;
  eventLoopUtilization: number | null;
  eventLoopDelayP99Ms: number | null;
  backends: ReturnType<PgActivitySampler['end']>;
  receiver: { requests: number; distinctKeys: number; repeatedKeys: number };
  sql: ProbeStepReport['sql'];
  profile: string | null;
}

async function throughputRun(sink: WebhookSink, concurrency: number, reportTrigger = true): Promise<ThroughputRun> {
  const name = `c${concurrency}${reportTrigger ? '' : '-no-report-trigger'}`;
  log(`throughput ${name}, DELIVERY_CONCURRENCY=${concurrency}: recreating the database, seeding ${LEADS.toLocaleString('en-US')} sold leads`);
  await resetDatabase(DATABASE_URL);
  await withDb((db) => seedSoldLeads(db, LEADS, sink.url));
  if (!reportTrigger) await withDb((db) => db.query('ALTER TABLE deliveries DISABLE TRIGGER deliveries_report'));
  await withDb((db) => db.query('CHECKPOINT'));
  sink.reset();
  await waitForQuiet(QUIET_TIMEOUT_S, log);

  const prefix = `leadex-bench-delivery-${RUN_ID}-${name}`;
  const worker = new DeliveryWorkerProcess({
    root: ROOT, databaseUrl: DATABASE_URL, queuePrefix: prefix, logFile: join(OUT_DIR, `delivery-worker-${name}.log`),
    env: {
      DELIVERY_CONCURRENCY: String(concurrency),
      BENCH_PROFILE: PROFILE ? '1' : '0', BENCH_PROFILE_DIR: OUT_DIR, BENCH_SQL_TIMING: env.BENCH_SQL_TIMING === '1' ? '1' : '0',
    },
  });
  const sampler = new PgActivitySampler(DATABASE_URL, 100, WORKER_BACKENDS);
  await sampler.start();
  sampler.begin();
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const label = `worker-${name}`;
  try {
    const t0 = nowMs();
    const before = cpuSnapshot(worker);
    await worker.start();
    worker.stepStart(label);
    const bootS = (nowMs() - t0) / 1000;
    const deadline = Date.now() + 600_000;
    let done = { delivered: 0, failed: 0 };
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered, count(*) FILTER (WHERE status = 'FAILED')::int AS failed FROM deliveries`,
      );
      done = rows[0];
      if (done.delivered + done.failed >= LEADS) break;
      if (Date.now() > deadline) throw new Error(`only ${done.delivered} of ${LEADS} delivered after 10 minutes`);
      await sleep(200);
    }
    const wallS = (nowMs() - t0) / 1000;
    const after = cpuSnapshot(worker);
    const probe = await worker.stepEnd(label);
    const backends = sampler.end();
    const { rows: [span] } = await db.query(
      `WITH d AS (SELECT delivered_at, row_number() OVER (ORDER BY delivered_at) AS k, count(*) OVER () AS n FROM deliveries WHERE status = 'DELIVERED')
       SELECT extract(epoch FROM max(delivered_at) - min(delivered_at))::float8 AS span_s,
              extract(epoch FROM max(delivered_at) FILTER (WHERE k = ceil(n * 0.9)) - max(delivered_at) FILTER (WHERE k = ceil(n * 0.1)))::float8 AS steady_s,
              max(n)::int AS n
         FROM d`,
    );
    const cpu = cpuPct(before, after, wallS);
    const run: ThroughputRun = {
      concurrency,
      reportTrigger,
      leads: LEADS,
      delivered: done.delivered,
      failed: done.failed,
      spanS: r1(span.span_s),
      perSec: Math.round(done.delivered / span.span_s),
      steadyPerSec: Math.round((0.8 * span.n) / span.steady_s),
      wallS: r1(wallS),
      bootS: r1(bootS),
      peakRssMb: worker.peakRssMb,
      cpuPct: cpu,
      workerCpuMsPerDelivery: Math.round(((after.worker - before.worker) / done.delivered) * 1e5) / 100,
      machineCpuMsPerDelivery: Math.round(((after.machine.busy - before.machine.busy) / done.delivered) * 1e5) / 100,
      eventLoopUtilization: probe?.eventLoopUtilization ?? null,
      eventLoopDelayP99Ms: probe?.eventLoopDelayP99Ms ?? null,
      backends,
      receiver: { requests: sink.requests, distinctKeys: sink.byKey.size, repeatedKeys: sink.repeatedKeys() },
      sql: probe?.sql ?? null,
      profile: await profileOf(probe),
    };
    log(
      `${name}: ${run.delivered} delivered (${run.failed} failed) in ${run.spanS} s = ${run.perSec}/s (steady ${run.steadyPerSec}/s); ` +
        `boot ${run.bootS} s; worker peak RSS ${run.peakRssMb} MiB, CPU ${cpu.worker} % (PostgreSQL ${cpu.postgres} %, Redis ${cpu.redis} %, receiver ${cpu.bench} %, other ${cpu.otherProcesses} %); ` +
        `receiver got ${run.receiver.requests} requests, ${run.receiver.distinctKeys} keys, ${run.receiver.repeatedKeys} repeated`,
    );
    log(`${name}: worker backends ${JSON.stringify(backends.states)}; lock waits ${JSON.stringify(backends.lockWaitsByStatement)}`);
    return run;
  } finally {
    await sampler.stop();
    await worker.stop();
    await db.end();
    await dropQueue(prefix);
  }
}

// ---------------------------------------------------------------------------------------------
// Part 2: sale → delivery latency at a steady rate of sales

interface PostSample {
  leadId: string | null;
  status: string;
  answeredAt: number;
  latencyMs: number;
  sendLagMs: number;
}

/** Posts unique leads at `rate`/s for `durationS`, open loop (the schedule never waits for answers). */
async function paceLeads(baseUrl: string, apiKey: string, leads: LeadGenerator, rate: number, durationS: number): Promise<{ samples: PostSample[]; sendingS: number }> {
  const pool = new Pool(baseUrl, { connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const samples: PostSample[] = [];
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(rate * durationS);
  const t0 = performance.now();
  let sent = 0;
  const sendOne = (slotMs: number) => {
    const body = JSON.stringify(leads.next());
    const sendAt = performance.now();
    const p = (async () => {
      const sample: PostSample = { leadId: null, status: 'error', answeredAt: 0, latencyMs: 0, sendLagMs: sendAt - t0 - slotMs };
      try {
        const res = await pool.request({ path: '/v1/leads', method: 'POST', headers, body, headersTimeout: 30_000, bodyTimeout: 30_000 });
        const text = await res.body.text();
        sample.answeredAt = nowMs();
        sample.latencyMs = performance.now() - sendAt;
        if (res.statusCode === 200) {
          const json = JSON.parse(text) as { lead_id?: string; status?: string };
          sample.leadId = json.lead_id ?? null;
          sample.status = json.status ?? 'unparsed';
        } else {
          sample.status = `http_${res.statusCode}`;
        }
      } catch (e) {
        sample.status = `error_${(e as NodeJS.ErrnoException).code ?? (e as Error).name}`;
      }
      samples.push(sample);
    })();
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (sent < due) sendOne((sent++ * 1000) / rate);
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, (sent * 1000) / rate - (performance.now() - t0)));
    };
    tick();
  });
  const sendingS = (performance.now() - t0) / 1000;
  await Promise.all([...inFlight]);
  await pool.close();
  return { samples, sendingS };
}

async function waitDelivered(db: Client, leadIds: string[], timeoutMs: number): Promise<{ delivered: number; rows: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: [c] } = await db.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM deliveries WHERE kind = 'LEAD' AND lead_id = ANY($1::uuid[])`,
      [leadIds],
    );
    if (c.delivered >= leadIds.length || Date.now() > deadline) return c;
    await sleep(200);
  }
}

interface LatencyRun {
  rate: number;
  durationS: number;
  workerConcurrency: number;
  posted: number;
  sold: number;
  otherAnswers: Record<string, number>;
  soldPerSec: number;
  postLatencyMs: ReturnType<typeof percentiles>;
  sendLagP99Ms: number;
  /** POST answered (bench clock) → the receiver got the lead (bench clock) */
  answerToReceiverMs: ReturnType<typeof percentiles>;
  /** sales.sold_at → deliveries.delivered_at (PostgreSQL clock; both are their transactions' start) */
  soldAtToDeliveredAtMs: ReturnType<typeof percentiles>;
  checks: {
    deliveryRows: number;
    delivered: number;
    notDelivered: number;
    attemptsOverOne: number;
    receiverMissing: number;
    receiverRepeatedKeys: number;
    leadsUnderTwoKeys: number;
    keysNotMatchingDeliveryId: number;
    receiverRequests: number;
  };
  drainS: number;
  workerPeakRssMb: number;
  exchangePeakRssMb: number;
  cpuPct: CpuPct;
  workerEventLoopUtilization: number | null;
  backends: ReturnType<PgActivitySampler['end']>;
  profile: string | null;
}

async function latencyRun(sink: WebhookSink): Promise<LatencyRun> {
  log(`latency: recreating the database, seeding the bench market with every campaign delivering by WEBHOOK`);
  await resetDatabase(DATABASE_URL);
  const market = await seedMarket(DATABASE_URL);
  await withDb((db) => db.query(`UPDATE campaigns SET delivery = jsonb_build_object('method', 'WEBHOOK', 'url', $1::text)`, [sink.url]));
  const port = await freePort(Number(env.BENCH_DELIVERY_PORT ?? 3980));
  const exchange = new ExchangeProcess({ root: ROOT, databaseUrl: DATABASE_URL, port, logFile: join(OUT_DIR, 'delivery-exchange.log') });
  const prefix = `leadex-bench-delivery-${RUN_ID}-latency`;
  const worker = new DeliveryWorkerProcess({
    root: ROOT, databaseUrl: DATABASE_URL, queuePrefix: prefix, logFile: join(OUT_DIR, 'delivery-worker-latency.log'),
    env: { DELIVERY_CONCURRENCY: String(LATENCY_CONCURRENCY), BENCH_PROFILE: PROFILE ? '1' : '0', BENCH_PROFILE_DIR: OUT_DIR },
  });
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const leads = new LeadGenerator({ runId: `d${RUN_ID}` });
  try {
    await exchange.start();
    await worker.start();
    await sleep(1500); // the exchange's market loads over LISTEN/NOTIFY
    log(`warming up: ${RATE}/s for ${WARMUP_S} s`);
    const warm = await paceLeads(exchange.baseUrl, market.apiKey, leads, RATE, WARMUP_S);
    const warmSold = warm.samples.filter((s) => s.status === 'sold' && s.leadId).map((s) => s.leadId!);
    if (!warmSold.length) throw new Error(`no lead sold in the warm-up: ${JSON.stringify(warm.samples.slice(0, 3))}`);
    await waitDelivered(db, warmSold, 60_000);
    await db.query('ANALYZE');
    await db.query('CHECKPOINT');
    await waitForQuiet(QUIET_TIMEOUT_S, log);
    sink.reset();
    exchange.takePeakRss();
    worker.peakRssMb = 0;

    log(`measuring: ${RATE} leads/s for ${DURATION_S} s (open loop)`);
    const sampler = new PgActivitySampler(DATABASE_URL, 100, WORKER_BACKENDS);
    await sampler.start();
    sampler.begin();
    const exchangeCpu = () => processCpuSeconds(exchange.pid);
    const before = cpuSnapshot(worker, exchangeCpu);
    worker.stepStart('worker-latency');
    const t0 = nowMs();
    const { samples, sendingS } = await paceLeads(exchange.baseUrl, market.apiKey, leads, RATE, DURATION_S);
    const sold = samples.filter((s) => s.status === 'sold' && s.leadId);
    const soldIds = sold.map((s) => s.leadId!);
    const drained = await waitDelivered(db, soldIds, 120_000);
    const drainS = r1((nowMs() - t0) / 1000 - sendingS);
    const after = cpuSnapshot(worker, exchangeCpu);
    const wallS = (nowMs() - t0) / 1000;
    const probe = await worker.stepEnd('worker-latency');
    const backends = sampler.end();
    await sampler.stop();
    await sleep(2000); // a late repeat (a retried or re-leased job) would land now

    const { rows } = await db.query<{ id: string; lead_id: string; status: string; attempts: number; ms: number | null }>(
      `SELECT d.id, d.lead_id, d.status, d.attempts, (extract(epoch FROM d.delivered_at - s.sold_at) * 1000)::float8 AS ms
         FROM deliveries d JOIN sales s ON s.id = d.sale_id WHERE d.kind = 'LEAD' AND d.lead_id = ANY($1::uuid[])`,
      [soldIds],
    );
    const byLead = new Map(rows.map((r) => [r.lead_id, r]));
    const answerToReceiver: number[] = [];
    let receiverMissing = 0;
    let keysNotMatching = 0;
    for (const s of sold) {
      const got = sink.firstByLead.get(s.leadId!);
      if (got === undefined) receiverMissing++;
      else answerToReceiver.push(got - s.answeredAt);
      const key = sink.keyByLead.get(s.leadId!);
      if (key !== undefined && key !== byLead.get(s.leadId!)?.id) keysNotMatching++;
    }
    const otherAnswers: Record<string, number> = {};
    for (const s of samples) if (s.status !== 'sold') otherAnswers[s.status] = (otherAnswers[s.status] ?? 0) + 1;
    const cpu = cpuPct(before, after, wallS);
    const run: LatencyRun = {
      rate: RATE,
      durationS: r1(sendingS),
      workerConcurrency: LATENCY_CONCURRENCY,
      posted: samples.length,
      sold: sold.length,
      otherAnswers,
      soldPerSec: r1(sold.length / sendingS),
      postLatencyMs: percentiles(samples.map((s) => s.latencyMs)),
      sendLagP99Ms: percentiles(samples.map((s) => s.sendLagMs)).p99,
      answerToReceiverMs: percentiles(answerToReceiver),
      soldAtToDeliveredAtMs: percentiles(rows.filter((r) => r.ms !== null).map((r) => r.ms!)),
      checks: {
        deliveryRows: rows.length,
        delivered: drained.delivered,
        notDelivered: rows.filter((r) => r.status !== 'DELIVERED').length + (soldIds.length - rows.length),
        attemptsOverOne: rows.filter((r) => r.attempts > 1).length,
        receiverMissing,
        receiverRepeatedKeys: sink.repeatedKeys(),
        leadsUnderTwoKeys: sink.leadsUnderTwoKeys,
        keysNotMatchingDeliveryId: keysNotMatching,
        receiverRequests: sink.requests,
      },
      drainS,
      workerPeakRssMb: worker.peakRssMb,
      exchangePeakRssMb: exchange.takePeakRss(),
      cpuPct: cpu,
      workerEventLoopUtilization: probe?.eventLoopUtilization ?? null,
      backends,
      profile: await profileOf(probe),
    };
    log(
      `latency: ${run.sold} sold of ${run.posted} posted = ${run.soldPerSec} sold/s; answer → receiver p50 ${run.answerToReceiverMs.p50} / p95 ${run.answerToReceiverMs.p95} / ` +
        `p99 ${run.answerToReceiverMs.p99} / max ${run.answerToReceiverMs.max} ms; sold_at → delivered_at p50 ${run.soldAtToDeliveredAtMs.p50} / p99 ${run.soldAtToDeliveredAtMs.p99} ms; ` +
        `checks ${JSON.stringify(run.checks)}; CPU ${JSON.stringify(cpu)}`,
    );
    return run;
  } finally {
    await worker.stop();
    await exchange.stop();
    await db.end();
    await dropQueue(prefix);
  }
}

// ---------------------------------------------------------------------------------------------

const runName = (t: ThroughputRun) => `${t.concurrency}${t.reportTrigger ? '' : ', deliveries_report trigger off'}`;

function formatMarkdown(result: { at: string; machine: Record<string, string | number>; throughput: ThroughputRun[]; latency: LatencyRun | null }): string {
  const out: string[] = [`### Delivery — ${result.at.slice(0, 16).replace('T', ' ')} UTC`, ''];
  const m = result.machine;
  out.push(`Machine: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, ${m.postgres}; load average at start ${m.loadAverageAtStart}.`, '');
  if (result.throughput.length) {
    out.push(
      `**Throughput of one worker process** (${LEADS.toLocaleString('en-US')} sold leads waiting, one webhook campaign, a receiver answering 200 at once)`,
      '',
      '| DELIVERY_CONCURRENCY | delivered | deliveries/s (first → last) | steady/s (10 → 90 %) | worker boot s | worker peak RSS MiB | worker CPU % | worker CPU ms / delivery | PostgreSQL % | Redis % | receiver % | other processes % | machine CPU ms / delivery | worker event-loop utilization |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...result.throughput.map(
        (t) =>
          `| ${runName(t)} | ${t.delivered.toLocaleString('en-US')}${t.failed ? ` (+${t.failed} failed)` : ''} | **${t.perSec}** | ${t.steadyPerSec} | ${t.bootS} | ${t.peakRssMb} | ${t.cpuPct.worker} | ${t.workerCpuMsPerDelivery} | ${t.cpuPct.postgres} | ${t.cpuPct.redis} | ${t.cpuPct.bench} | ${t.cpuPct.otherProcesses > 15 ? `**${t.cpuPct.otherProcesses}**` : t.cpuPct.otherProcesses} | ${t.machineCpuMsPerDelivery} | ${t.eventLoopUtilization ?? '–'} |`,
      ),
      '',
      'PostgreSQL backends of the worker (average number in each state; pool of 20):',
      '',
      `| state | ${result.throughput.map(runName).join(' | ')} |`,
      `|---|${result.throughput.map(() => '---:').join('|')}|`,
      ...[...new Set(result.throughput.flatMap((t) => Object.keys(t.backends.states)))].map(
        (s) => `| ${s} | ${result.throughput.map((t) => t.backends.states[s] ?? 0).join(' | ')} |`,
      ),
      '',
    );
    const waits = [...new Set(result.throughput.flatMap((t) => Object.keys(t.backends.lockWaitsByStatement)))];
    if (waits.length) {
      out.push(
        'Lock waits by statement (average backends waiting):',
        '',
        `| statement | ${result.throughput.map(runName).join(' | ')} |`,
        `|---|${result.throughput.map(() => '---:').join('|')}|`,
        ...waits.map((w) => `| \`${w}\` | ${result.throughput.map((t) => t.backends.lockWaitsByStatement[w] ?? 0).join(' | ')} |`),
        '',
      );
    }
    for (const t of result.throughput) {
      out.push(`Receiver, ${runName(t)}: ${t.receiver.requests} requests, ${t.receiver.distinctKeys} distinct Idempotency-Keys, ${t.receiver.repeatedKeys} repeated.`);
    }
    out.push('');
  }
  const l = result.latency;
  if (l) {
    const row = (name: string, p: ReturnType<typeof percentiles>) => `| ${name} | ${p.n} | ${p.p50} | ${p.p95} | **${p.p99}** | ${p.max} | ${p.min} |`;
    out.push(
      `**Sale → delivery at ${l.rate} sales/s** (open loop, ${l.durationS} s, the exchange and one worker with DELIVERY_CONCURRENCY=${l.workerConcurrency}): ` +
        `${l.posted} posted, ${l.sold} sold = **${l.soldPerSec} sold/s**${Object.keys(l.otherAnswers).length ? ` (other answers: ${JSON.stringify(l.otherAnswers)})` : ''}.`,
      '',
      '| from → to | leads | p50 ms | p95 ms | p99 ms | max ms | min ms |',
      '|---|---:|---:|---:|---:|---:|---:|',
      row('POST answered (sold) → receiver got the lead', l.answerToReceiverMs),
      row('`sales.sold_at` → `deliveries.delivered_at`', l.soldAtToDeliveredAtMs),
      row('POST /v1/leads itself (sent → answered)', l.postLatencyMs),
      '',
      `Nothing lost: ${l.checks.deliveryRows} delivery rows for ${l.sold} sold leads, ${l.checks.delivered} DELIVERED, ${l.checks.notDelivered} not delivered, ` +
        `${l.checks.attemptsOverOne} needing more than one attempt; the receiver got ${l.checks.receiverRequests} requests, missed ${l.checks.receiverMissing} leads, ` +
        `saw ${l.checks.receiverRepeatedKeys} Idempotency-Keys more than once, ${l.checks.leadsUnderTwoKeys} leads under two keys, ` +
        `${l.checks.keysNotMatchingDeliveryId} keys differing from the delivery id. Last delivery ${l.drainS} s after the last post.`,
      '',
      `CPU in % of one core during the step: exchange ${l.cpuPct.exchange}, worker ${l.cpuPct.worker}, PostgreSQL ${l.cpuPct.postgres}, Redis ${l.cpuPct.redis}, ` +
        `load generator + receiver ${l.cpuPct.bench}, other processes ${l.cpuPct.otherProcesses > 15 ? `**${l.cpuPct.otherProcesses}**` : l.cpuPct.otherProcesses} (machine ${l.cpuPct.machineBusy} of 200). ` +
        `Peak RSS: exchange ${l.exchangePeakRssMb} MiB, worker ${l.workerPeakRssMb} MiB; worker event-loop utilization ${l.workerEventLoopUtilization ?? '–'}; pacer send lag p99 ${l.sendLagP99Ms} ms.`,
      '',
      `Worker backends: ${Object.entries(l.backends.states).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
      '',
    );
  }
  for (const t of result.throughput) {
    if (!t.sql) continue;
    out.push(
      `Worker SQL, client side (c${runName(t)}; BENCH_SQL_TIMING=1):`,
      '',
      '| statement | count | mean ms | p50 ms | p99 ms |',
      '|---|---:|---:|---:|---:|',
      ...Object.entries(t.sql).sort((x, y) => y[1].totalMs - x[1].totalMs).map(([k, v]) => `| \`${k.replace(/\|/g, '\\|')}\` | ${v.count} | ${v.meanMs} | ${v.p50Ms} | ${v.p99Ms} |`),
      '',
    );
  }
  for (const t of result.throughput) if (t.profile) out.push(t.profile);
  if (l?.profile) out.push(l.profile);
  return out.join('\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const sink = new WebhookSink();
  await sink.start();
  log(`receiver at ${sink.url}; database ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`);
  try {
    const throughput: ThroughputRun[] = [];
    if (PARTS.has('throughput')) {
      for (const c of CONCURRENCIES) throughput.push(await throughputRun(sink, c));
      if (WITHOUT_REPORT_TRIGGER) for (const c of CONCURRENCIES) throughput.push(await throughputRun(sink, c, false));
    }
    const latency = PARTS.has('latency') ? await latencyRun(sink) : null;
    const machine = await withDb(async (db) => {
      const { rows: [pg] } = await db.query(
        `SELECT split_part(version(), ' on ', 1) AS version, current_setting('shared_buffers') AS shared_buffers,
                current_setting('synchronous_commit') AS synchronous_commit, current_setting('autovacuum') AS autovacuum`,
      );
      return describeMachine(`${pg.version} (shared_buffers ${pg.shared_buffers}, synchronous_commit ${pg.synchronous_commit}, autovacuum ${pg.autovacuum})`);
    });
    const result = { at: new Date().toISOString(), machine, throughput, latency };
    writeFileSync(join(OUT_DIR, `${OUT_NAME}.json`), JSON.stringify(result, null, 2));
    const md = formatMarkdown(result);
    writeFileSync(join(OUT_DIR, `${OUT_NAME}.md`), `${md}\n`);
    console.log(`\n${md}\n`);
    log(`wrote bench-results/${OUT_NAME}.md and .json`);
  } finally {
    await sink.close();
  }
}

/** Run by `npm run bench -- delivery` (tools/bench/run.ts) or directly. */
export const runDeliveryBench = main;

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
