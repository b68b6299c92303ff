/**
 * `npm run bench`: the exchange end to end under load, plus the pure auction microbenchmark.
 *
 * 1. Recreates the `leadex_bench` database (real migrations) and starts the built exchange on it.
 * 2. Seeds one supplier, 20 buyers and 100 campaigns through SQL; checks that a lead sells.
 * 3. Posts unique leads with autocannon at rising concurrency; per step prints req/s, sold/s,
 *    latency percentiles, rejections, the exchange's peak RSS and the CPU split of the machine.
 * 4. Stops the exchange, runs the auction-core microbenchmark, writes bench-results/latest.{md,json}.
 *
 * Environment: BENCH_DURATION_S (30), BENCH_CONNECTIONS ("8,32,64"), BENCH_WARMUP_S (5),
 * BENCH_PORT (3900), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/leadex_bench),
 * BENCH_PROFILE=1 (CPU profile per step + SQL timing), BENCH_SQL_TIMING=1, BENCH_EXTERNAL_ID=1
 * (leads carry external_id: adds the idempotency claim), BENCH_POOL_SIZE (exchange's pg pool),
 * BENCH_PG_LOG=1 (server-side statement times from the PostgreSQL log; costly, use few connections),
 * BENCH_PG_SETTINGS ("name=value;...": settings of the bench database, e.g. auto_explain),
 * BENCH_ANALYZE=0 (skip the ANALYZE before each step that stands in for autovacuum),
 * BENCH_EXCHANGES (1: exchange processes, each on its own port, the connections split between them),
 * BENCH_DISABLE_TRIGGERS ("table.trigger,...", a diagnostic), BENCH_SKIP_MICRO=1, BENCH_OUTPUT (file name under bench-results/, default "latest"),
 * BENCH_QUIET_TIMEOUT_S (300: how long to wait for other work on the machine to stop before a step).
 * Then the ping bench (tools/bench/ping-bench.ts: BENCH_PING_RATE 200, BENCH_PING_DURATION_S 30, ...);
 * BENCH_SKIP_PING=1 skips it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Client } from 'pg';
import { BenchMarket, BID_TIERS, resetDatabase, seedMarket } from './bench-market';
import { describeMachine, waitForQuiet } from './bench-machine';
import { summarizeCpuProfile } from './cpu-profile-summary';
import { runDeliveryBench } from './delivery-bench';
import { runExportBench } from './export-bench';
import { cpuSecondsOf, ExchangeProcess, freePort, machineCpuSeconds, processCpuSeconds, schedSeconds } from './exchange-process';
import { LeadGenerator } from './lead-generator';
import { runLoadStep } from './load-step';
import { PgActivitySampler } from './pg-activity-sampler';
import { formatPingReport, PingBenchReport, pingBenchOptionsFromEnv, runPingBench } from './ping-bench';
import { enableStatementLog, serverLogFile, StatementLogReader } from './pg-statement-log';
import { AuctionCoreFigures, BenchReport, evaluateTargets, formatReport, StepReport } from './report';

const ROOT = resolve(__dirname, '../../..');
const env = process.env;
const DURATION_S = Number(env.BENCH_DURATION_S ?? 30);
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? '8,32,64').split(',').map((s) => Number(s.trim())).filter((x) => x > 0);
const WARMUP_S = Number(env.BENCH_WARMUP_S ?? 5);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/leadex_bench';
const PROFILE = env.BENCH_PROFILE === '1';
const SQL_TIMING = PROFILE || env.BENCH_SQL_TIMING === '1';
const EXTERNAL_ID = env.BENCH_EXTERNAL_ID === '1';
const PG_LOG = env.BENCH_PG_LOG === '1';
const EXCHANGES = Math.max(1, Number(env.BENCH_EXCHANGES ?? 1));
const ANALYZE = env.BENCH_ANALYZE !== '0';
const OUT_DIR = join(ROOT, 'bench-results');
const OUT_NAME = env.BENCH_OUTPUT ?? 'latest';
const QUIET_TIMEOUT_S = Number(env.BENCH_QUIET_TIMEOUT_S ?? 300);
const QUIET_PCT = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[bench] ${msg}`);

async function dbQuery<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function machineInfo(): Promise<Record<string, string | number>> {
  const [pg] = await dbQuery(
    `SELECT split_part(version(), ' on ', 1) AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('synchronous_commit') AS synchronous_commit, current_setting('max_connections') AS max_connections`,
  );
  return describeMachine(`${pg.version} (shared_buffers ${pg.shared_buffers}, synchronous_commit ${pg.synchronous_commit}, max_connections ${pg.max_connections})`);
}

/** One post that must sell: the market is loaded (LISTEN/NOTIFY) and funds are known (market refresh). */
async function verifySale(baseUrl: string, apiKey: string, leads: LeadGenerator): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    const res = await fetch(`${baseUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(leads.next()),
    });
    last = `${res.status} ${await res.text()}`;
    if (res.status === 200 && last.includes('"status":"sold"')) {
      log(`verification post sold: ${last.slice(4)}`);
      return;
    }
    await sleep(500);
  }
  throw new Error(`the verification lead did not sell: ${last}`);
}

interface CpuSnapshot {
  exchangeProcess: number;
  exchangeSched: { run: number; wait: number };
  postgres: number;
  redis: number;
  bench: NodeJS.CpuUsage;
  machine: { busy: number; steal: number; total: number };
}

function cpuSnapshot(exchangePids: number[]): CpuSnapshot {
  const sched = exchangePids.map(schedSeconds);
  return {
    exchangeProcess: exchangePids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    exchangeSched: { run: sched.reduce((a, x) => a + x.run, 0), wait: sched.reduce((a, x) => a + x.wait, 0) },
    postgres: cpuSecondsOf('postgres'),
    redis: cpuSecondsOf('redis-server'),
    bench: process.cpuUsage(),
    machine: machineCpuSeconds(),
  };
}

/** CPU used over the step in % of one core (the machine has cores × 100 %). */
function cpuPercent(a: CpuSnapshot, b: CpuSnapshot, wallS: number): StepReport['cpuPct'] {
  const pct = (s: number) => Math.round((s / wallS) * 100);
  const bench = process.cpuUsage(a.bench);
  const cores = (b.machine.total - a.machine.total) / wallS;
  return {
    exchange: pct(b.exchangeSched.run - a.exchangeSched.run),
    exchangeAllThreads: pct(b.exchangeProcess - a.exchangeProcess),
    exchangeRunQueueWait: pct(b.exchangeSched.wait - a.exchangeSched.wait),
    postgres: pct(b.postgres - a.postgres),
    redis: pct(b.redis - a.redis),
    bench: pct((bench.user + bench.system) / 1e6),
    machineBusy: pct(b.machine.busy - a.machine.busy),
    // whatever else ran on the machine meanwhile (colleagues' builds and tests skew a step)
    otherProcesses: Math.max(
      0,
      pct(
        b.machine.busy - a.machine.busy - (b.exchangeProcess - a.exchangeProcess) - (b.postgres - a.postgres) - (b.redis - a.redis) -
          (bench.user + bench.system) / 1e6,
      ),
    ),
    machineSteal: pct(b.machine.steal - a.machine.steal),
    machineCapacity: Math.round(cores * 100),
  };
}

async function countLeads(from: Date, to: Date): Promise<Record<string, number>> {
  const rows = await dbQuery<{ status: string; count: string }>(
    `SELECT status, count(*) FROM leads WHERE created_at >= $1 AND created_at < $2 GROUP BY status`,
    [from, to],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}

async function runAuctionCore(): Promise<AuctionCoreFigures | { error: string }> {
  try {
    // Loaded at run time: a colleague owns this file, and the load bench must run without it.
    const mod = require('./auction-core.bench') as { runAuctionCoreBench?: () => Promise<AuctionCoreFigures> };
    if (typeof mod.runAuctionCoreBench !== 'function') return { error: 'auction-core.bench does not export runAuctionCoreBench' };
    return await mod.runAuctionCoreBench();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  log(`resetting ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`);
  await resetDatabase(DATABASE_URL);
  // BENCH_DISABLE_TRIGGERS="table.trigger,...": a diagnostic, to price a trigger on the sale path
  // (e.g. sales.sales_report_insert); the bench database only, which the next run recreates.
  for (const spec of (env.BENCH_DISABLE_TRIGGERS ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const [table, trigger] = spec.split('.');
    if (!/^[a-z_]+$/.test(table ?? '') || !/^[a-z_]+$/.test(trigger ?? '')) throw new Error(`BENCH_DISABLE_TRIGGERS: "${spec}" is not table.trigger`);
    await dbQuery(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    log(`trigger ${spec} disabled (diagnostic)`);
  }
  const machine = await machineInfo();
  // BENCH_PG_SETTINGS="name=value;name=value": per-database settings for the bench database only,
  // e.g. session_preload_libraries=auto_explain;auto_explain.log_min_duration=5 to log slow plans
  for (const pair of (env.BENCH_PG_SETTINGS ?? '').split(';').filter((p) => p.trim())) {
    const [name, ...rest] = pair.split('=');
    if (!/^[a-z_][a-z0-9_.]*$/i.test(name.trim())) throw new Error(`BENCH_PG_SETTINGS: bad setting name "${name}"`);
    const dbName = new URL(DATABASE_URL).pathname.slice(1);
    await dbQuery(`ALTER DATABASE "${dbName}" SET ${name.trim()} = '${rest.join('=').trim().replace(/'/g, "''")}'`);
  }
  let statementLog: StatementLogReader | null = null;
  if (PG_LOG) {
    await enableStatementLog(DATABASE_URL);
    statementLog = new StatementLogReader(await serverLogFile(DATABASE_URL), new URL(DATABASE_URL).pathname.slice(1));
  }

  const exchanges: ExchangeProcess[] = [];
  let nextPort = Number(env.BENCH_PORT ?? 3900);
  for (let i = 0; i < EXCHANGES; i++) {
    const port = await freePort(nextPort);
    nextPort = port + 1;
    exchanges.push(
      new ExchangeProcess({
        root: ROOT,
        databaseUrl: DATABASE_URL,
        port,
        logFile: join(OUT_DIR, EXCHANGES > 1 ? `exchange-${i + 1}.log` : 'exchange.log'),
        env: {
          ...(env.BENCH_POOL_SIZE ? { DATABASE_POOL_SIZE: env.BENCH_POOL_SIZE } : {}),
          ...(SQL_TIMING ? { BENCH_SQL_TIMING: '1' } : {}),
          ...(PROFILE ? { BENCH_PROFILE: '1', BENCH_PROFILE_DIR: OUT_DIR } : {}),
        },
      }),
    );
  }
  const baseUrls = exchanges.map((x) => x.baseUrl);
  const pids = () => exchanges.map((x) => x.pid);
  const sampler = new PgActivitySampler(DATABASE_URL);
  const steps: StepReport[] = [];
  let market!: BenchMarket;
  try {
    log(`starting ${EXCHANGES} exchange process(es) on ${baseUrls.join(', ')}`);
    await Promise.all(exchanges.map((x) => x.start()));
    market = await seedMarket(DATABASE_URL);
    log(`seeded 1 supplier, ${market.buyerIds.length} buyers, ${market.campaigns.length} campaigns; waiting for LISTEN/NOTIFY`);
    // for load-tests/direct-post.k6.js against the kept leadex_bench database (a throwaway local key)
    writeFileSync(
      join(OUT_DIR, 'bench-supplier.json'),
      JSON.stringify({ databaseUrl: DATABASE_URL, supplierId: market.supplierId, apiKey: market.apiKey }, null, 2),
    );
    await sleep(1500);
    const leads = new LeadGenerator({ runId: Date.now().toString(36), externalId: EXTERNAL_ID });
    for (const url of baseUrls) await verifySale(url, market.apiKey, leads);
    await sampler.start();

    if (WARMUP_S > 0) {
      log(`warm-up: ${WARMUP_S} s at ${CONNECTIONS[0]} connections (not recorded)`);
      await runLoadStep({ baseUrls, apiKey: market.apiKey, connections: CONNECTIONS[0], durationS: WARMUP_S, leads });
    }

    for (const connections of CONNECTIONS) {
      const label = `c${connections}`;
      // Autovacuum is off on some servers (CI); production's would have analyzed the growing tables,
      // so do it here: plans (including those cached in plpgsql functions) then see real table sizes.
      if (ANALYZE) await dbQuery('ANALYZE');
      await dbQuery('CHECKPOINT'); // start each step with the same WAL state
      await waitForQuiet(QUIET_TIMEOUT_S, log, QUIET_PCT);
      for (const x of exchanges) x.takePeakRss();
      const cpu0 = cpuSnapshot(pids());
      statementLog?.mark();
      exchanges.forEach((x, i) => x.stepStart(i ? `${label}-p${i + 1}` : label));
      sampler.begin();
      log(`step ${label}: ${connections} connections for ${DURATION_S} s`);
      const client = await runLoadStep({ baseUrls, apiKey: market.apiKey, connections, durationS: DURATION_S, leads });
      const { states: pgBackendStates, lockWaitsByStatement } = sampler.end();
      // with several exchange processes: SQL timing and profile are the first one's, loop figures the worst
      const probes = await Promise.all(exchanges.map((x, i) => x.stepEnd(i ? `${label}-p${i + 1}` : label)));
      const probe = probes[0];
      const wall = client.durationS;
      const cpuPct = cpuPercent(cpu0, cpuSnapshot(pids()), wall);
      const peakRssMb = exchanges.reduce((sum, x) => sum + x.takePeakRss(), 0);
      const worst = (f: (p: NonNullable<(typeof probes)[number]>) => number) =>
        probes.every((p) => p) ? Math.max(...probes.map((p) => f(p!))) : null;
      const serverSql = statementLog ? statementLog.read() : null;
      await sleep(1000); // the last in-flight leads commit
      const db = await countLeads(client.startedAt, new Date(client.endedAt.getTime() + 1000));
      const profile = probe?.profileFile ? summarizeCpuProfile(JSON.parse(readFileSync(probe.profileFile, 'utf8'))) : null;
      const step: StepReport = {
        label,
        client,
        db,
        soldPerSec: Math.round(((db.sold ?? 0) / wall) * 10) / 10,
        peakRssMb,
        cpuPct,
        eventLoopUtilization: worst((p) => p.eventLoopUtilization),
        eventLoopDelayP99Ms: worst((p) => p.eventLoopDelayP99Ms),
        pgBackendStates,
        lockWaitsByStatement,
        sql: probe?.sql ?? null,
        poolCheckout: probe?.poolCheckout ?? null,
        serverSql,
        profile,
        profileFile: probe?.profileFile ?? null,
      };
      steps.push(step);
      const l = client.latencyMs;
      log(
        `step ${label}: ${client.requestsPerSec} req/s, ${step.soldPerSec} sold/s (db ${JSON.stringify(db)}), ` +
          `p50 ${l.p50} / p95 ${l.p95} / p99 ${l.p99} / max ${l.max} ms, non-2xx ${client.non2xx}, errors ${client.socketErrors}, ` +
          `timeouts ${client.timeouts}, peak RSS ${peakRssMb} MiB, CPU% ${JSON.stringify(cpuPct)}, ` +
          `event loop util ${step.eventLoopUtilization}, event loop delay p99 ${step.eventLoopDelayP99Ms} ms`,
      );
      log(`step ${label}: PostgreSQL backends ${JSON.stringify(pgBackendStates)}`);
      if (Object.keys(lockWaitsByStatement).length) log(`step ${label}: lock waits by statement ${JSON.stringify(lockWaitsByStatement)}`);
    }
  } finally {
    await sampler.stop();
    log('stopping the exchange');
    await Promise.all(exchanges.map((x) => x.stop()));
  }

  let ping: PingBenchReport | { error: string } | null = null;
  if (env.BENCH_SKIP_PING !== '1') {
    try {
      ping = await runPingBench(pingBenchOptionsFromEnv(ROOT, DATABASE_URL, OUT_DIR));
    } catch (e) {
      log(`ping bench failed: ${(e as Error).message}`);
      ping = { error: (e as Error).message };
    }
  }

  let auctionCore: BenchReport['auctionCore'] = null;
  if (env.BENCH_SKIP_MICRO !== '1') {
    log('auction-core microbenchmark: runFixedPriceAuction over 1,000 campaigns');
    auctionCore = await runAuctionCore();
    log(`auction-core: ${JSON.stringify(auctionCore)}`);
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine,
    settings: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      connections: CONNECTIONS.join('/'),
      exchangeProcesses: EXCHANGES,
      analyzeBeforeSteps: ANALYZE,
      exchangePoolSize: env.BENCH_POOL_SIZE ?? 20,
      externalId: EXTERNAL_ID,
      profile: PROFILE,
      sqlTiming: SQL_TIMING,
      pgStatementLog: PG_LOG,
    },
    market: {
      campaigns: market!.campaigns.length,
      buyers: market!.buyerIds.length,
      bidTiers: BID_TIERS,
      withCaps: market!.campaigns.filter((c) => c.caps > 0).length,
      withSchedules: market!.campaigns.filter((c) => c.schedule).length,
    },
    steps,
    auctionCore,
    targets: evaluateTargets(steps, auctionCore),
  };
  const md = formatReport(report) + (ping ? `\n${'error' in ping ? `### Ping-post\n\nNot run: ${ping.error}\n` : formatPingReport(ping)}` : '');
  console.log(`\n${md}`);
  writeFileSync(join(OUT_DIR, `${OUT_NAME}.md`), md);
  writeFileSync(join(OUT_DIR, `${OUT_NAME}.json`), JSON.stringify({ ...report, ping }, null, 2));
  log(`wrote bench-results/${OUT_NAME}.md and .json (leadex_bench kept for inspection)`);
}

// `npm run bench -- export`: only the finance export and report bench (tools/bench/export-bench.ts);
// `npm run bench -- delivery`: only the delivery worker bench (tools/bench/delivery-bench.ts)
(process.argv[2] === 'export' ? runExportBench() : process.argv[2] === 'delivery' ? runDeliveryBench() : main()).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
