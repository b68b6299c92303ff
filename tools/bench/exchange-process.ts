import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';
import type { ProbeCommand, ProbeStepReport } from './exchange-probe';

/** The built exchange as a child process, with its resource use sampled from /proc. */
export interface ExchangeOptions {
  root: string;
  databaseUrl: string;
  port: number;
  logFile: string;
  env?: Record<string, string>;
}

/** A free TCP port, preferring `preferred`. */
export async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const got = (srv.address() as { port: number }).port;
        srv.close(() => resolve(got));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

const CLK_TCK = 100; // Linux USER_HZ

/** utime + stime of a process (all its threads) in seconds, or 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  return cpuSeconds(pid) ?? 0;
}

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU seconds of every process with this command name (e.g. all PostgreSQL processes: backends, WAL writer...). */
export function cpuSecondsOf(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    } catch {
      // the process ended while we read
    }
  }
  return total;
}

/** Seconds a thread spent running and waiting in the run queue for a CPU (/proc/<pid>/schedstat). */
export function schedSeconds(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { run: run / 1e9, wait: wait / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

/** Machine-wide CPU time in seconds (all cores) from /proc/stat: busy (user+system+irq), steal, total. */
export function machineCpuSeconds(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map((x) => Number(x) / CLK_TCK);
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

export function vmRssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * A built Leadex entry point as a child process for a bench: exchange-probe preloaded (event-loop
 * utilization, CPU profile and SQL timing on request), its output in a log file, its RSS sampled
 * from /proc. Subclasses say how it is configured and when it is ready.
 */
export abstract class ProbedProcess {
  protected child: ChildProcess | null = null;
  protected exited: Promise<number | null> = Promise.resolve(null);
  private rssTimer: NodeJS.Timeout | null = null;
  private pendingReports = new Map<string, (r: ProbeStepReport) => void>();
  /** Peak RSS in MiB since the start or the last takePeakRss. */
  peakRssMb = 0;

  protected constructor(
    private readonly spec: { name: string; root: string; entry: string; logFile: string; env: Record<string, string>; rssIntervalMs: number; stopGraceMs: number },
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error(`${this.spec.name} not running`);
    return this.child.pid;
  }

  /** Spawns the process; the subclass then waits until it is ready. */
  protected spawnProbed(): ChildProcess {
    const entry = join(this.spec.root, this.spec.entry);
    const probe = join(this.spec.root, 'dist/tools/bench/exchange-probe.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
    const log = createWriteStream(this.spec.logFile, { flags: 'w' });
    const child = spawn(process.execPath, ['-r', probe, entry], {
      cwd: this.spec.root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        // neither the exchange nor the worker signs JWTs, but production config requires a secret
        JWT_SECRET: 'bench-only-jwt-secret-not-used-by-the-exchange-0123',
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        LOG_LEVEL: 'warn',
        ...this.spec.env,
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
    this.rssTimer = setInterval(() => this.sampleRss(), this.spec.rssIntervalMs);
    this.rssTimer.unref();
    return child;
  }

  private sampleRss(): void {
    if (!this.child?.pid) return;
    const rss = vmRssMb(this.child.pid);
    if (rss !== null && rss > this.peakRssMb) this.peakRssMb = rss;
  }

  /** Peak RSS since the last reset, in MiB. */
  takePeakRss(): number {
    this.sampleRss();
    const peak = this.peakRssMb;
    this.peakRssMb = 0;
    return peak;
  }

  stepStart(label: string): void {
    this.child?.send({ cmd: 'step-start', label } satisfies ProbeCommand);
  }

  /** Ends a probe step and waits for its report (profiles can take a moment to write). */
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

  /** SIGTERM, then SIGKILL after the grace. */
  async stop(): Promise<void> {
    if (this.rssTimer) clearInterval(this.rssTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), this.spec.stopGraceMs);
    await this.exited;
    clearTimeout(killer);
    this.child = null;
  }
}

export class ExchangeProcess extends ProbedProcess {
  readonly baseUrl: string;

  constructor(private readonly opts: ExchangeOptions) {
    super({
      name: 'exchange',
      root: opts.root,
      entry: 'dist/apps/exchange/src/main.js',
      logFile: opts.logFile,
      env: {
        DATABASE_URL: opts.databaseUrl,
        EXCHANGE_PORT: String(opts.port),
        HOST: '127.0.0.1',
        SUPPLIER_RATE_LIMIT_PER_SEC: '1000000',
        ...opts.env,
      },
      rssIntervalMs: 500,
      stopGraceMs: 10_000,
    });
    this.baseUrl = `http://127.0.0.1:${opts.port}`;
  }

  async start(): Promise<void> {
    this.spawnProbed();
    await this.waitHealthy(60_000);
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`the exchange exited with code ${exitCode} before it was healthy; see ${this.opts.logFile}`);
      try {
        const res = await fetch(`${this.baseUrl}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the exchange was not healthy within ${timeoutMs} ms; see ${this.opts.logFile}`);
  }
}
