/**
 * Preloaded into the exchange by the bench (`node -r dist/tools/bench/exchange-probe.js ...`); it
 * changes nothing the exchange does. Over the IPC channel the bench opens, it reports per load step:
 *  - event-loop utilization and delay (is the one JS thread saturated?),
 *  - with BENCH_SQL_TIMING=1: wall time of every SQL statement (client side: send → result handled,
 *    so it includes the network round trip and any wait for the event loop) and of pool checkouts,
 *  - with BENCH_PROFILE=1: a V8 CPU profile of the step, written to BENCH_PROFILE_DIR.
 */
import { Session } from 'inspector';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { EventLoopUtilization, monitorEventLoopDelay, performance } from 'perf_hooks';

export interface LatencySummary {
  count: number;
  totalMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProbeStepReport {
  type: 'step-report';
  label: string;
  eventLoopUtilization: number;
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Statement (first words, whitespace collapsed) → latency, when BENCH_SQL_TIMING=1. */
  sql: Record<string, LatencySummary> | null;
  poolCheckout: LatencySummary | null;
  profileFile: string | null;
}

export type ProbeCommand = { cmd: 'step-start'; label: string } | { cmd: 'step-end'; label: string };

/** Log-bucketed latency histogram (5 % buckets from 1 µs): constant memory however long the step. */
class Histogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  total = 0;
  max = 0;

  record(ms: number): void {
    this.count++;
    this.total += ms;
    if (ms > this.max) this.max = ms;
    const b = ms <= 0.001 ? 0 : Math.ceil(Math.log(ms * 1000) / Math.log(1.05));
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
  }

  private quantile(q: number): number {
    const target = q * this.count;
    let seen = 0;
    for (const b of [...this.buckets.keys()].sort((x, y) => x - y)) {
      seen += this.buckets.get(b)!;
      if (seen >= target) return Math.pow(1.05, b) / 1000;
    }
    return this.max;
  }

  summary(): LatencySummary {
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      count: this.count,
      totalMs: Math.round(this.total),
      meanMs: r(this.count ? this.total / this.count : 0),
      p50Ms: r(this.quantile(0.5)),
      p99Ms: r(this.quantile(0.99)),
      maxMs: r(this.max),
    };
  }
}

/** The statement's identity: its first words with whitespace collapsed (parameters are never included). */
export function statementKey(text: unknown): string {
  if (typeof text !== 'string') return '(prepared/other)';
  return text.replace(/\s+/g, ' ').trim().slice(0, 72);
}

let sqlStats = new Map<string, Histogram>();
let poolStats = new Histogram();

function instrumentPg(): void {
  const pg = require('pg');
  const clientQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function timedQuery(this: unknown, config: any, values?: any, callback?: any) {
    const key = statementKey(typeof config === 'string' ? config : config?.text);
    const started = performance.now();
    const done = () => {
      let h = sqlStats.get(key);
      if (!h) sqlStats.set(key, (h = new Histogram()));
      h.record(performance.now() - started);
    };
    if (typeof values === 'function') {
      const cb = values;
      return clientQuery.call(this, config, (err: unknown, res: unknown) => {
        done();
        cb(err, res);
      });
    }
    if (typeof callback === 'function') {
      const cb = callback;
      return clientQuery.call(this, config, values, (err: unknown, res: unknown) => {
        done();
        cb(err, res);
      });
    }
    const result = clientQuery.call(this, config, values);
    if (result && typeof result.then === 'function') {
      result.then(done, done);
    }
    return result;
  };

  const poolConnect = pg.Pool.prototype.connect;
  pg.Pool.prototype.connect = function timedConnect(this: unknown, callback?: any) {
    const started = performance.now();
    if (typeof callback === 'function') {
      return poolConnect.call(this, (err: unknown, client: unknown, release: unknown) => {
        poolStats.record(performance.now() - started);
        callback(err, client, release);
      });
    }
    const result = poolConnect.call(this);
    result.then(
      () => poolStats.record(performance.now() - started),
      () => undefined,
    );
    return result;
  };
}

function startProbe(): void {
  const send = process.send?.bind(process);
  if (!send) return; // not started by the bench: stay inert
  process.channel?.unref();
  const sqlTiming = process.env.BENCH_SQL_TIMING === '1';
  const profileDir = process.env.BENCH_PROFILE === '1' ? process.env.BENCH_PROFILE_DIR || 'bench-results' : null;
  if (sqlTiming) instrumentPg();

  let session: Session | null = null;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    session = new Session();
    session.connect();
    session.post('Profiler.enable');
  }

  const delay = monitorEventLoopDelay({ resolution: 5 });
  let elu: EventLoopUtilization = performance.eventLoopUtilization();

  process.on('message', (msg: ProbeCommand) => {
    if (msg?.cmd === 'step-start') {
      sqlStats = new Map();
      poolStats = new Histogram();
      delay.reset();
      delay.enable();
      elu = performance.eventLoopUtilization();
      session?.post('Profiler.start');
    } else if (msg?.cmd === 'step-end') {
      const used = performance.eventLoopUtilization(elu);
      delay.disable();
      const report: ProbeStepReport = {
        type: 'step-report',
        label: msg.label,
        eventLoopUtilization: Math.round(used.utilization * 1000) / 1000,
        eventLoopDelayP50Ms: Math.round(delay.percentile(50) / 1e4) / 100,
        eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e4) / 100,
        eventLoopDelayMaxMs: Math.round(delay.max / 1e4) / 100,
        sql: sqlTiming ? Object.fromEntries([...sqlStats].map(([k, h]) => [k, h.summary()])) : null,
        poolCheckout: sqlTiming ? poolStats.summary() : null,
        profileFile: null,
      };
      if (!session || !profileDir) {
        send(report);
        return;
      }
      session.post('Profiler.stop', (err, result) => {
        if (!err && result?.profile) {
          const file = join(profileDir, `exchange-${msg.label}.cpuprofile`);
          writeFileSync(file, JSON.stringify(result.profile));
          report.profileFile = file;
        }
        send(report);
      });
    }
  });
}

startProbe();
