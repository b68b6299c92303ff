import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import type { ProbeCommand, ProbeStepReport } from './exchange-probe';
import { processCpuSeconds, vmRssMb } from './exchange-process';

/**
 * The built delivery worker (`dist/apps/exchange/src/worker.js`, what `npm run start:worker` runs) as a
 * child process for the delivery bench, with exchange-probe preloaded (event-loop utilization, and
 * with BENCH_PROFILE=1 a CPU profile, BENCH_SQL_TIMING=1 SQL timing) and its RSS sampled every 200 ms.
 */
export class DeliveryWorkerProcess {
  private child: ChildProcess | null = null;
  private rssTimer: NodeJS.Timeout | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private pendingReports = new Map<string, (r: ProbeStepReport) => void>();
  peakRssMb = 0;

  constructor(
    private readonly opts: { root: string; databaseUrl: string; queuePrefix: string; logFile: string; env?: Record<string, string> },
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error('worker not running');
    return this.child.pid;
  }

  cpuSeconds(): number {
    return this.child?.pid ? processCpuSeconds(this.child.pid) : 0;
  }

  /** Spawns the worker and resolves once it says it started (its relay is scheduled by then). */
  async start(): Promise<void> {
    const entry = join(this.opts.root, 'dist/apps/exchange/src/worker.js');
    const probe = join(this.opts.root, 'dist/tools/bench/exchange-probe.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
    const log = createWriteStream(this.opts.logFile, { flags: 'w' });
    const child = spawn(process.execPath, ['-r', probe, entry], {
      cwd: this.opts.root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        JWT_SECRET: 'bench-only-jwt-secret-not-used-by-the-worker-0123456',
        DATABASE_URL: this.opts.databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: this.opts.queuePrefix,
        LOG_LEVEL: 'warn',
        LEADEX_APP: 'worker',
        // the bench's receiver listens on 127.0.0.1, which the production SSRF guard refuses
        ALLOW_PRIVATE_BUYER_URLS: 'true',
        ...this.opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.on('message', (msg: ProbeStepReport) => {
      if (msg?.type !== 'step-report') return;
      this.pendingReports.get(msg.label)?.(msg);
      this.pendingReports.delete(msg.label);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.peakRssMb = 0;
    this.rssTimer = setInterval(() => {
      const rss = child.pid ? vmRssMb(child.pid) : null;
      if (rss !== null && rss > this.peakRssMb) this.peakRssMb = rss;
    }, 200);
    this.rssTimer.unref();
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the worker did not start within 60 s; see ${this.opts.logFile}`)), 60_000);
      const onData = (c: Buffer) => {
        out += c.toString();
        if (out.includes('Leadex delivery worker started')) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited with ${code}; see ${this.opts.logFile}`));
      });
    });
  }

  stepStart(label: string): void {
    this.child?.send({ cmd: 'step-start', label } satisfies ProbeCommand);
  }

  stepEnd(label: string, timeoutMs = 30_000): Promise<ProbeStepReport | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingReports.delete(label);
        resolve(null);
      }, timeoutMs);
      this.pendingReports.set(label, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.child?.send({ cmd: 'step-end', label } satisfies ProbeCommand);
    });
  }

  /** SIGTERM (jobs in hand finish), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.rssTimer) clearInterval(this.rssTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(killer);
    this.child = null;
  }
}

/**
 * What the PostgreSQL backends of one application (application_name, e.g. leadex-worker) are doing,
 * sampled every `intervalMs`: on CPU, waiting (by wait event), idle in a transaction; and which
 * statements wait on locks. Averages are "backends in that state at a time".
 */
export class BackendWaitSampler {
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private samples = 0;
  private readonly states = new Map<string, number>();
  private readonly lockWaits = new Map<string, number>();

  constructor(
    private readonly databaseUrl: string,
    private readonly applicationName: string,
    private readonly intervalMs = 100,
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.databaseUrl, application_name: 'leadex-bench-sampler' });
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query(
        `SELECT state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND application_name = $1`,
        [this.applicationName],
      );
      this.samples++;
      for (const r of rows) {
        const what =
          r.state === 'active'
            ? r.wait_event_type
              ? `waiting ${r.wait_event_type}:${r.wait_event}`
              : 'on CPU'
            : r.state === 'idle in transaction'
              ? 'idle in transaction'
              : r.state === 'idle'
                ? 'idle'
                : String(r.state);
        this.states.set(what, (this.states.get(what) ?? 0) + 1);
        if (r.state === 'active' && r.wait_event_type === 'Lock') {
          const q = String(r.query).trim();
          this.lockWaits.set(q, (this.lockWaits.get(q) ?? 0) + 1);
        }
      }
    } catch {
      // a missed sample is fine
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<{ samples: number; states: Record<string, number>; lockWaitsByStatement: Record<string, number> }> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.client?.end();
    this.client = null;
    const avg = (m: Map<string, number>) =>
      Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / Math.max(1, this.samples)) * 100) / 100]));
    return { samples: this.samples, states: avg(this.states), lockWaitsByStatement: avg(this.lockWaits) };
  }
}
