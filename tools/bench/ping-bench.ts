/**
 * The ping benchmark: `POST /v1/ping` at a fixed rate against live buyers whose latency spreads
 * over 10–2,000 ms. Run by `npm run bench` after the direct-post steps (BENCH_SKIP_PING=1 skips it),
 * or alone: `npm run build && node dist/tools/bench/ping-bench.js` (recreates leadex_bench).
 *
 * 1. Forks one child process hosting the mock buyers (libs/testing's mock buyer server), so their
 *    CPU is visible apart from the exchange's; buyer i's median latency is 10 × 200^(i/19) ms.
 * 2. Seeds a fresh vertical `bench-ping` (a copy of auto-insurance's schema, so the direct-post
 *    market does not bid), one supplier, one buyer per mock buyer and one live campaign each
 *    (ping_url, post_url, timeout_ms), then starts the built exchange with ALLOW_PRIVATE_BUYER_URLS.
 * 3. Warms up, then pings at BENCH_PING_RATE for BENCH_PING_DURATION_S, unique leads, open loop.
 * 4. Joins each answer (by ping_id) with the exchange's own record of the buyer calls
 *    (`lead_events` kind 'ping': max(latency_ms) per ping) and with what the buyers chose:
 *      overhead = client latency − the slowest buyer wait the auction recorded,
 *      overhead vs buyer side = client latency − max over buyers of min(buyer's chosen delay, timeout).
 *
 * Environment: BENCH_PING_RATE (200), BENCH_PING_DURATION_S (30), BENCH_PING_WARMUP_S (5),
 * BENCH_PING_BUYERS (20), BENCH_PING_TIMEOUT_MS (500: the campaigns' timeout_ms),
 * BENCH_PING_DEADLINE_MS (750: the exchange's AUCTION_DEADLINE_MS), BENCH_PING_POOL_CONNECTIONS
 * (the exchange's BUYER_POOL_CONNECTIONS; default: the exchange's own default), BENCH_PING_PORT (3950),
 * BENCH_PING_MIN_LATENCY_MS / BENCH_PING_MAX_LATENCY_MS (10 / 2000: the buyers' latency spread),
 * BENCH_PING_EXCHANGE_PROCESSES (1: the exchange's EXCHANGE_PROCESSES; CPU then counts every worker,
 * event-loop and SQL figures only the primary's),
 * plus BENCH_DATABASE_URL, BENCH_PROFILE, BENCH_SQL_TIMING, BENCH_QUIET_TIMEOUT_S as for the bench.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Client } from 'pg';
import { generateSupplierApiKey } from '@leadex/contracts';
import { resetDatabase } from './bench-market';
import { describeMachine, waitForQuiet } from './bench-machine';
import { summarizeCpuProfile, formatProfileSummary, ProfileSummary } from './cpu-profile-summary';
import { cpuSecondsOf, ExchangeProcess, freePort, machineCpuSeconds, processCpuSeconds, schedSeconds } from './exchange-process';
import type { LatencySummary } from './exchange-probe';
import { LeadGenerator } from './lead-generator';
import { BuyerSideReport, PingBuyerProfile, PingBuyers } from './ping-buyers';
import { PingLoadResult, runPingLoad } from './ping-load';

export const PING_VERTICAL = 'bench-ping';

export interface PingBenchOptions {
  root: string;
  databaseUrl: string;
  outDir: string;
  port: number;
  rate: number;
  durationS: number;
  warmupS: number;
  buyers: number;
  minLatencyMs: number;
  maxLatencyMs: number;
  /** The campaigns' timeout_ms. */
  timeoutMs: number;
  /** The exchange's AUCTION_DEADLINE_MS. */
  deadlineMs: number;
  /** The exchange's BUYER_POOL_CONNECTIONS, when set. */
  poolConnections: number | null;
  /** The exchange's EXCHANGE_PROCESSES (a cluster sharing the port when > 1; event-loop figures are then the primary's). */
  exchangeProcesses: number;
  profile: boolean;
  sqlTiming: boolean;
  quietTimeoutS: number;
}

export interface Percentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PingBuyerRow {
  buyer: number;
  medianMs: number;
  pings: number;
  bid: number;
  noBid: number;
  timeout: number;
  other: number;
  /** The most frequent reason of the timeouts and other failures. */
  topReason: string | null;
  p50Ms: number;
  p99Ms: number;
  /** TCP connections the buyer accepted during the step. */
  connections: number;
}

export interface PingBenchReport {
  date: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean | null>;
  client: Omit<PingLoadResult, 'samples' | 'startedAt' | 'endedAt'> & { sendLagMs: Percentiles };
  wallMs: Percentiles;
  /** Client latency − max(lead_events.latency_ms) of the ping. */
  overheadMs: Percentiles;
  /** Client latency − max over buyers of min(buyer's chosen delay, timeout). */
  overheadVsBuyerSideMs: Percentiles;
  /** The slowest buyer wait per ping, as the exchange recorded it. */
  slowestRecordedWaitMs: Percentiles;
  /** Pings answered 200 whose lead_events rows were found / expected buyer calls per ping. */
  joined: { answered: number; withEvents: number; withBuyerSide: number; eventsPerPing: number; buyersPerPing: number };
  outcomes: Record<string, number>;
  buyers: PingBuyerRow[];
  pausedCampaigns: number;
  cpuPct: Record<string, number>;
  exchange: {
    peakRssMb: number;
    eventLoopUtilization: number | null;
    eventLoopDelayP50Ms: number | null;
    eventLoopDelayP99Ms: number | null;
    eventLoopDelayMaxMs: number | null;
    sql: Record<string, LatencySummary> | null;
    poolCheckout: LatencySummary | null;
  };
  profile: ProfileSummary | null;
  profileFile: string | null;
  targets: { name: string; target: string; reached: string; met: boolean }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[bench:ping] ${msg}`);
const r1 = (x: number) => Math.round(x * 10) / 10;

export function percentiles(values: number[]): Percentiles {
  if (!values.length) return { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const s = Float64Array.from(values).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { mean: r1(values.reduce((a, b) => a + b, 0) / values.length), p50: r1(q(0.5)), p95: r1(q(0.95)), p99: r1(q(0.99)), max: r1(s[s.length - 1]) };
}

async function withDb<T>(databaseUrl: string, f: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await f(db);
  } finally {
    await db.end();
  }
}

/** A vertical of its own (auto-insurance's schema), one supplier, one buyer and one live campaign per mock buyer. */
async function seedPingMarket(databaseUrl: string, buyers: PingBuyerProfile[], timeoutMs: number): Promise<{ apiKey: string; campaignIds: string[] }> {
  return withDb(databaseUrl, async (db) => {
    await db.query('BEGIN');
    try {
      await db.query(
        `INSERT INTO verticals (key, name, schema, max_sales, duplicate_window_days, floor_price)
         SELECT $1, 'Ping bench (auto-insurance fields)', schema, 1, 30, 0 FROM verticals WHERE key = 'auto-insurance'`,
        [PING_VERTICAL],
      );
      const key = generateSupplierApiKey();
      await db.query(`INSERT INTO suppliers (name, api_key_hash, api_key_prefix, payout_percent) VALUES ('Ping bench supplier', $1, $2, 70)`, [
        key.hash,
        key.prefix,
      ]);
      const campaignIds: string[] = [];
      for (const [i, b] of buyers.entries()) {
        const label = String(i + 1).padStart(2, '0');
        const buyer = await db.query(`INSERT INTO buyers (name, credit_limit, balance) VALUES ($1, NULL, 0) RETURNING id`, [
          `Ping bench buyer ${label} (~${b.medianMs} ms)`,
        ]);
        const { rows } = await db.query(
          `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, status, ping_url, post_url, timeout_ms)
           VALUES ($1, $2, $3, NULL, 'ACTIVE', $4, $5, $6) RETURNING id`,
          [buyer.rows[0].id, `Ping bench live ${label}`, PING_VERTICAL, b.pingUrl, b.postUrl, timeoutMs],
        );
        campaignIds.push(rows[0].id);
      }
      await db.query('COMMIT');
      return { apiKey: key.apiKey, campaignIds };
    } catch (e) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}

async function machineInfo(databaseUrl: string): Promise<Record<string, string | number>> {
  const pg = await withDb(databaseUrl, async (db) => (await db.query(`SELECT split_part(version(), ' on ', 1) AS version`)).rows[0]);
  return describeMachine(pg.version);
}

/** Pings until one is answered with a bid: the exchange has the market loaded and the buyers answer. */
async function verifyBid(baseUrl: string, apiKey: string, leads: LeadGenerator): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const load = await runPingLoad({ baseUrl, apiKey, vertical: PING_VERTICAL, rate: 1000, durationS: 0.001, leads });
    const s = load.samples[0];
    last = `${s.status} ${s.answer}${Object.values(load.rejections)[0] ? ` ${Object.values(load.rejections)[0]}` : ''}`;
    if (s.status === 200 && s.answer === 'bid') {
      log(`verification ping answered bid in ${Math.round(s.latencyMs)} ms`);
      return;
    }
    await sleep(500);
  }
  throw new Error(`no verification ping was answered with a bid: ${last}`);
}

interface CpuSnap {
  exchange: number;
  exchangeSched: { run: number; wait: number };
  buyers: number;
  postgres: number;
  redis: number;
  bench: NodeJS.CpuUsage;
  machine: { busy: number; steal: number; total: number };
}

/** The process and its direct children (the workers of an exchange cluster). */
function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function cpuSnap(exchangePid: number, buyersPid: number): CpuSnap {
  const exchangePids = withChildren(exchangePid);
  const sched = exchangePids.map(schedSeconds);
  return {
    exchange: exchangePids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    exchangeSched: { run: sched.reduce((a, x) => a + x.run, 0), wait: sched.reduce((a, x) => a + x.wait, 0) },
    buyers: processCpuSeconds(buyersPid),
    postgres: cpuSecondsOf('postgres'),
    redis: cpuSecondsOf('redis-server'),
    bench: process.cpuUsage(),
    machine: machineCpuSeconds(),
  };
}

function cpuPct(a: CpuSnap, b: CpuSnap, wallS: number): Record<string, number> {
  const pct = (s: number) => Math.round((s / wallS) * 100);
  const bench = process.cpuUsage(a.bench);
  const benchS = (bench.user + bench.system) / 1e6;
  const ours = b.exchange - a.exchange + (b.buyers - a.buyers) + (b.postgres - a.postgres) + (b.redis - a.redis) + benchS;
  return {
    exchangeJsThread: pct(b.exchangeSched.run - a.exchangeSched.run),
    exchangeAllThreads: pct(b.exchange - a.exchange),
    exchangeRunQueueWait: pct(b.exchangeSched.wait - a.exchangeSched.wait),
    mockBuyers: pct(b.buyers - a.buyers),
    postgres: pct(b.postgres - a.postgres),
    redis: pct(b.redis - a.redis),
    loadGenerator: pct(benchS),
    otherProcesses: Math.max(0, pct(b.machine.busy - a.machine.busy - ours)),
    machineBusy: pct(b.machine.busy - a.machine.busy),
    machineSteal: pct(b.machine.steal - a.machine.steal),
    machineCapacity: Math.round(((b.machine.total - a.machine.total) / wallS) * 100),
  };
}

interface EventRow {
  ping_id: string;
  max_ms: number | null;
  n: string;
}

interface CampaignRow {
  campaign_id: string;
  n: string;
  bid: string;
  no_bid: string;
  timeout: string;
  other: string;
  p50: number | null;
  p99: number | null;
  top_reason: string | null;
}

/** lead_events of the step's pings: the slowest recorded buyer wait per ping, and per campaign outcomes. */
async function readPingEvents(databaseUrl: string, pingIds: string[]): Promise<{ perPing: Map<string, { maxMs: number; n: number }>; perCampaign: CampaignRow[]; outcomes: Record<string, number> }> {
  return withDb(databaseUrl, async (db) => {
    const perPing = new Map<string, { maxMs: number; n: number }>();
    const { rows } = await db.query<EventRow>(
      `SELECT ping_id, max(latency_ms) AS max_ms, count(*) AS n FROM lead_events
        WHERE kind = 'ping' AND ping_id = ANY($1::uuid[]) GROUP BY ping_id`,
      [pingIds],
    );
    for (const r of rows) perPing.set(r.ping_id, { maxMs: Number(r.max_ms ?? 0), n: Number(r.n) });
    const campaigns = await db.query<CampaignRow>(
      `SELECT campaign_id, count(*) AS n,
              count(*) FILTER (WHERE outcome = 'bid') AS bid, count(*) FILTER (WHERE outcome = 'no_bid') AS no_bid,
              count(*) FILTER (WHERE outcome = 'timeout') AS timeout,
              count(*) FILTER (WHERE outcome NOT IN ('bid', 'no_bid', 'timeout')) AS other,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99,
              mode() WITHIN GROUP (ORDER BY regexp_replace(detail->>'reason', '[0-9]+', 'N', 'g'))
                FILTER (WHERE outcome NOT IN ('bid', 'no_bid')) AS top_reason
         FROM lead_events WHERE kind = 'ping' AND ping_id = ANY($1::uuid[]) GROUP BY campaign_id`,
      [pingIds],
    );
    const outcomes: Record<string, number> = {};
    const o = await db.query<{ outcome: string; n: string }>(
      `SELECT outcome, count(*) AS n FROM lead_events WHERE kind = 'ping' AND ping_id = ANY($1::uuid[]) GROUP BY outcome`,
      [pingIds],
    );
    for (const r of o.rows) outcomes[r.outcome] = Number(r.n);
    return { perPing, perCampaign: campaigns.rows, outcomes };
  });
}

export async function runPingBench(opts: PingBenchOptions): Promise<PingBenchReport> {
  mkdirSync(opts.outDir, { recursive: true });
  const machine = await machineInfo(opts.databaseUrl);
  log(`starting ${opts.buyers} mock buyers (one child process), latency medians ${opts.minLatencyMs}–${opts.maxLatencyMs} ms`);
  const buyers = await PingBuyers.start({ count: opts.buyers, minMs: opts.minLatencyMs, maxMs: opts.maxLatencyMs, noBidRate: 0.1 });
  const exchange = new ExchangeProcess({
    root: opts.root,
    databaseUrl: opts.databaseUrl,
    port: await freePort(opts.port),
    logFile: join(opts.outDir, 'exchange-ping.log'),
    env: {
      ALLOW_PRIVATE_BUYER_URLS: 'true', // the mock buyers listen on 127.0.0.1
      AUCTION_DEADLINE_MS: String(opts.deadlineMs),
      // buyers slower than their timeout fail every ping; the bench keeps them in the auction on purpose
      CAMPAIGN_AUTO_PAUSE_FAILURES: '1000000000',
      ...(opts.poolConnections ? { BUYER_POOL_CONNECTIONS: String(opts.poolConnections) } : {}),
      EXCHANGE_PROCESSES: String(opts.exchangeProcesses),
      ...(opts.sqlTiming ? { BENCH_SQL_TIMING: '1' } : {}),
      ...(opts.profile ? { BENCH_PROFILE: '1', BENCH_PROFILE_DIR: opts.outDir } : {}),
    },
  });
  try {
    const market = await seedPingMarket(opts.databaseUrl, buyers.buyers, opts.timeoutMs);
    log(`seeded vertical ${PING_VERTICAL}, 1 supplier, ${market.campaignIds.length} live campaigns (timeout_ms ${opts.timeoutMs})`);
    await exchange.start();
    log(`exchange on ${exchange.baseUrl} (AUCTION_DEADLINE_MS ${opts.deadlineMs}${opts.poolConnections ? `, BUYER_POOL_CONNECTIONS ${opts.poolConnections}` : ''})`);
    const leads = new LeadGenerator({ runId: `ping-${Date.now().toString(36)}`, seed: 424242 });
    await verifyBid(exchange.baseUrl, market.apiKey, leads);
    await withDb(opts.databaseUrl, (db) => db.query('ANALYZE'));
    await waitForQuiet(opts.quietTimeoutS, log);
    if (opts.warmupS > 0) {
      log(`warm-up: ${opts.warmupS} s at ${opts.rate} pings/s (not recorded)`);
      await runPingLoad({ baseUrl: exchange.baseUrl, apiKey: market.apiKey, vertical: PING_VERTICAL, rate: opts.rate, durationS: opts.warmupS, leads });
    }
    await buyers.reset();
    exchange.takePeakRss();
    const cpu0 = cpuSnap(exchange.pid, buyers.pid);
    exchange.stepStart('ping');
    log(`step: ${opts.rate} pings/s for ${opts.durationS} s`);
    const load = await runPingLoad({ baseUrl: exchange.baseUrl, apiKey: market.apiKey, vertical: PING_VERTICAL, rate: opts.rate, durationS: opts.durationS, leads });
    const wallS = (load.endedAt.getTime() - load.startedAt.getTime()) / 1000;
    const cpu = cpuPct(cpu0, cpuSnap(exchange.pid, buyers.pid), wallS);
    const probe = await exchange.stepEnd('ping');
    const peakRssMb = exchange.takePeakRss();
    const buyerSide: BuyerSideReport = await buyers.report(opts.timeoutMs);
    await sleep(1500); // the exchange writes lead_events after answering
    const answered = load.samples.filter((s) => s.status === 200 && s.pingId);
    const events = await readPingEvents(opts.databaseUrl, answered.map((s) => s.pingId!));
    const pausedCampaigns = await withDb(opts.databaseUrl, async (db) =>
      Number((await db.query(`SELECT count(*) AS n FROM campaigns WHERE vertical_key = $1 AND status = 'PAUSED'`, [PING_VERTICAL])).rows[0].n),
    );

    const overhead: number[] = [];
    const overheadBuyerSide: number[] = [];
    const slowest: number[] = [];
    let withEvents = 0;
    let withBuyerSide = 0;
    let eventCalls = 0;
    let buyerCalls = 0;
    for (const s of answered) {
      const e = events.perPing.get(s.pingId!);
      if (e) {
        withEvents++;
        eventCalls += e.n;
        overhead.push(s.latencyMs - e.maxMs);
        slowest.push(e.maxMs);
      }
      const b = buyerSide.pings[s.pingId!];
      if (b) {
        withBuyerSide++;
        buyerCalls += b[1];
        overheadBuyerSide.push(s.latencyMs - b[0]);
      }
    }
    const campaignIndex = new Map(market.campaignIds.map((id, i) => [id, i]));
    const buyerRows: PingBuyerRow[] = events.perCampaign
      .map((c) => {
        const i = campaignIndex.get(c.campaign_id) ?? -1;
        return {
          buyer: i + 1,
          medianMs: buyers.buyers[i]?.medianMs ?? 0,
          pings: Number(c.n),
          bid: Number(c.bid),
          noBid: Number(c.no_bid),
          timeout: Number(c.timeout),
          other: Number(c.other),
          topReason: c.top_reason,
          p50Ms: r1(Number(c.p50 ?? 0)),
          p99Ms: r1(Number(c.p99 ?? 0)),
          connections: buyerSide.buyers[i]?.connections ?? 0,
        };
      })
      .sort((a, b) => a.buyer - b.buyer);

    const wall = percentiles(answered.map((s) => s.latencyMs));
    const over = percentiles(overhead);
    const rateOk = load.answeredPerSec >= opts.rate * 0.99;
    const { samples: _samples, startedAt: _s, endedAt: _e, ...client } = load;
    const profile = probe?.profileFile ? summarizeCpuProfile(JSON.parse(readFileSync(probe.profileFile, 'utf8'))) : null;
    const report: PingBenchReport = {
      date: new Date().toISOString(),
      machine,
      settings: {
        rate: opts.rate,
        durationS: opts.durationS,
        warmupS: opts.warmupS,
        buyers: opts.buyers,
        buyerLatencyMs: `${opts.minLatencyMs}–${opts.maxLatencyMs}`,
        campaignTimeoutMs: opts.timeoutMs,
        auctionDeadlineMs: opts.deadlineMs,
        buyerPoolConnections: opts.poolConnections ?? 'exchange default',
        exchangeProcesses: opts.exchangeProcesses,
        profile: opts.profile,
        sqlTiming: opts.sqlTiming,
      },
      client: { ...client, sendLagMs: percentiles(load.samples.map((s) => s.sendLagMs)) },
      wallMs: wall,
      overheadMs: over,
      overheadVsBuyerSideMs: percentiles(overheadBuyerSide),
      slowestRecordedWaitMs: percentiles(slowest),
      joined: {
        answered: answered.length,
        withEvents,
        withBuyerSide,
        eventsPerPing: r1(eventCalls / Math.max(1, withEvents)),
        buyersPerPing: r1(buyerCalls / Math.max(1, withBuyerSide)),
      },
      outcomes: events.outcomes,
      buyers: buyerRows,
      pausedCampaigns,
      cpuPct: cpu,
      exchange: {
        peakRssMb,
        eventLoopUtilization: probe?.eventLoopUtilization ?? null,
        eventLoopDelayP50Ms: probe?.eventLoopDelayP50Ms ?? null,
        eventLoopDelayP99Ms: probe?.eventLoopDelayP99Ms ?? null,
        eventLoopDelayMaxMs: probe?.eventLoopDelayMaxMs ?? null,
        sql: probe?.sql ?? null,
        poolCheckout: probe?.poolCheckout ?? null,
      },
      profile,
      profileFile: probe?.profileFile ?? null,
      targets: [
        {
          name: 'ping auction wall time',
          target: `p99 ≤ deadline + 50 ms = ${opts.deadlineMs + 50} ms`,
          reached: `p99 ${wall.p99} ms (p50 ${wall.p50}, max ${wall.max}) at ${load.answeredPerSec} pings/s`,
          met: wall.p99 <= opts.deadlineMs + 50 && rateOk && answered.length > 0,
        },
        {
          name: 'exchange overhead per ping',
          target: 'p99 ≤ 30 ms at ≥ 200 pings/s',
          reached: `p99 ${over.p99} ms (p50 ${over.p50}) at ${load.answeredPerSec} pings/s`,
          met: over.p99 <= 30 && load.answeredPerSec >= 200 * 0.99 && withEvents > 0,
        },
      ],
    };
    log(
      `${load.answeredPerSec} pings/s answered (${JSON.stringify(load.answers)}); wall p50 ${wall.p50} / p95 ${wall.p95} / p99 ${wall.p99} / max ${wall.max} ms; ` +
        `overhead p50 ${over.p50} / p99 ${over.p99} ms; vs buyer side p50 ${report.overheadVsBuyerSideMs.p50} / p99 ${report.overheadVsBuyerSideMs.p99} ms; ` +
        `CPU% ${JSON.stringify(cpu)}; event loop util ${report.exchange.eventLoopUtilization}, delay p99 ${report.exchange.eventLoopDelayP99Ms} ms`,
    );
    return report;
  } finally {
    await exchange.stop();
    await buyers.stop();
  }
}

const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export function formatPingReport(r: PingBenchReport): string {
  const out: string[] = [];
  const s = r.settings;
  out.push(`### Ping-post (\`POST /v1/ping\`) — ${r.date}`, '');
  out.push(
    `${s.buyers} live buyers (mock buyers in one child process; latency medians ${s.buyerLatencyMs} ms, log-uniform, each answer ×0.75–1.25), ` +
      `one live campaign each with timeout_ms ${s.campaignTimeoutMs}, exchange AUCTION_DEADLINE_MS ${s.auctionDeadlineMs}, ` +
      `BUYER_POOL_CONNECTIONS ${s.buyerPoolConnections}, EXCHANGE_PROCESSES ${s.exchangeProcesses}. Pings sent open loop at ${s.rate}/s for ${s.durationS} s ` +
      `(after ${s.warmupS} s of warm-up), each a new lead's non-PII fields.`,
    '',
  );
  const c = r.client;
  out.push(
    '| offered/s | answered/s | answers | wall p50 ms | p95 | **p99** | max | overhead p50 ms | p95 | **p99** | max | vs buyer side p50 | p99 | slowest buyer wait p50 | p99 |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${c.rate} | ${n(c.answeredPerSec)} | ${Object.entries(c.answers)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} | ${n(r.wallMs.p50)} | ${n(r.wallMs.p95)} | **${n(r.wallMs.p99)}** | ${n(r.wallMs.max)} | ` +
      `${n(r.overheadMs.p50)} | ${n(r.overheadMs.p95)} | **${n(r.overheadMs.p99)}** | ${n(r.overheadMs.max)} | ` +
      `${n(r.overheadVsBuyerSideMs.p50)} | ${n(r.overheadVsBuyerSideMs.p99)} | ${n(r.slowestRecordedWaitMs.p50)} | ${n(r.slowestRecordedWaitMs.p99)} |`,
    '',
  );
  out.push(
    `Overhead = client latency − the slowest buyer call the exchange recorded for that ping (\`lead_events\`, kind 'ping', ` +
      `max latency_ms); "vs buyer side" uses the delay each mock buyer chose (capped at the timeout) instead, so it also counts ` +
      `the exchange's lag in reading answers. Joined: ${r.joined.withEvents} of ${r.joined.answered} answered pings had their events ` +
      `(${r.joined.eventsPerPing} buyer calls each), ${r.joined.withBuyerSide} were seen by the buyers (${r.joined.buyersPerPing} buyers each). ` +
      `Scheduler lag p99 ${n(c.sendLagMs.p99)} ms. Buyer call outcomes: ${Object.entries(r.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}. Campaigns paused by the exchange during the run: ${r.pausedCampaigns}.`,
    '',
  );
  const rejected = Object.entries(c.rejections);
  if (rejected.length) out.push('Rejections seen:', '', ...rejected.map(([k, b]) => `- ${k}: \`${b}\``), '');
  out.push(
    'Per buyer (from `lead_events`; connections = TCP connections the mock buyer accepted during the step):',
    '',
    '| buyer | median ms | pings | bid | no bid | timeout | other | p50 ms | p99 ms | connections | most frequent failure |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const b of r.buyers) {
    out.push(
      `| ${b.buyer} | ${b.medianMs} | ${b.pings} | ${b.bid} | ${b.noBid} | ${b.timeout} | ${b.other} | ${n(b.p50Ms)} | ${n(b.p99Ms)} | ${b.connections} | ${b.topReason ? `\`${b.topReason}\`` : ''} |`,
    );
  }
  out.push('');
  const p = r.cpuPct;
  out.push(
    `CPU in % of one core (the machine has ${p.machineCapacity} %): exchange JS thread ${p.exchangeJsThread} (all threads ${p.exchangeAllThreads}, ` +
      `waiting for a core ${p.exchangeRunQueueWait}), mock buyers ${p.mockBuyers}, PostgreSQL ${p.postgres}, Redis ${p.redis}, ` +
      `load generator ${p.loadGenerator}, other processes ${p.otherProcesses}, machine busy ${p.machineBusy}, steal ${p.machineSteal}. ` +
      `Exchange event loop: utilization ${r.exchange.eventLoopUtilization ?? '–'}, delay p50 ${r.exchange.eventLoopDelayP50Ms ?? '–'} / ` +
      `p99 ${r.exchange.eventLoopDelayP99Ms ?? '–'} / max ${r.exchange.eventLoopDelayMaxMs ?? '–'} ms; peak RSS ${r.exchange.peakRssMb} MiB.`,
    '',
  );
  if (r.exchange.sql) {
    out.push('SQL as the exchange saw it during the step:', '', '| statement | count | mean ms | p50 ms | p99 ms |', '|---|---:|---:|---:|---:|');
    const rows = Object.entries(r.exchange.sql).sort((a, b) => b[1].totalMs - a[1].totalMs);
    if (r.exchange.poolCheckout) rows.unshift(['(pool checkout wait)', r.exchange.poolCheckout]);
    for (const [k, v] of rows.slice(0, 10)) out.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${v.count} | ${v.meanMs} | ${v.p50Ms} | ${v.p99Ms} |`);
    out.push('');
  }
  if (r.profile) out.push(formatProfileSummary(r.profile, `CPU profile of the exchange, ping step (${r.profileFile})`));
  out.push('| ping target | wanted | reached | met |', '|---|---|---|---|');
  for (const t of r.targets) out.push(`| ${t.name} | ${t.target} | ${t.reached} | ${t.met ? 'yes' : '**no**'} |`);
  out.push('');
  return out.join('\n');
}

/** The ping bench's settings from the environment (shared by `npm run bench` and the standalone run). */
export function pingBenchOptionsFromEnv(root: string, databaseUrl: string, outDir: string): PingBenchOptions {
  const env = process.env;
  const num = (name: string, dflt: number) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : dflt);
  return {
    root,
    databaseUrl,
    outDir,
    port: num('BENCH_PING_PORT', 3950),
    rate: num('BENCH_PING_RATE', 200),
    durationS: num('BENCH_PING_DURATION_S', 30),
    warmupS: num('BENCH_PING_WARMUP_S', 5),
    buyers: num('BENCH_PING_BUYERS', 20),
    minLatencyMs: num('BENCH_PING_MIN_LATENCY_MS', 10),
    maxLatencyMs: num('BENCH_PING_MAX_LATENCY_MS', 2000),
    timeoutMs: num('BENCH_PING_TIMEOUT_MS', 500),
    deadlineMs: num('BENCH_PING_DEADLINE_MS', 750),
    poolConnections: env.BENCH_PING_POOL_CONNECTIONS ? Number(env.BENCH_PING_POOL_CONNECTIONS) : null,
    exchangeProcesses: num('BENCH_PING_EXCHANGE_PROCESSES', 1),
    profile: env.BENCH_PROFILE === '1',
    sqlTiming: env.BENCH_PROFILE === '1' || env.BENCH_SQL_TIMING === '1',
    quietTimeoutS: num('BENCH_QUIET_TIMEOUT_S', 300),
  };
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadex_bench';
  const outDir = join(root, 'bench-results');
  log(`resetting ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  await resetDatabase(databaseUrl);
  const report = await runPingBench(pingBenchOptionsFromEnv(root, databaseUrl, outDir));
  const md = `## Leadex ping bench — ${report.date}\n\nMachine: ${report.machine.cpu} × ${report.machine.cores} cores, ${report.machine.memoryGb} GB RAM, ${report.machine.os}; Node ${report.machine.node}; ${report.machine.postgres}; everything on the same machine.\n\n${formatPingReport(report)}`;
  console.log(`\n${md}`);
  const name = process.env.BENCH_OUTPUT ?? 'ping';
  writeFileSync(join(outDir, `${name}.md`), md);
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(report, null, 2));
  log(`wrote bench-results/${name}.md and .json`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
