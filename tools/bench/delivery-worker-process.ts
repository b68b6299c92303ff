import { processCpuSeconds, ProbedProcess } from './exchange-process';

/**
 * The built delivery worker (`dist/apps/exchange/src/worker.js`, what `npm run start:worker` runs) as a
 * child process for the delivery bench, with exchange-probe preloaded (event-loop utilization, and
 * with BENCH_PROFILE=1 a CPU profile, BENCH_SQL_TIMING=1 SQL timing) and its RSS sampled every 200 ms.
 */
export class DeliveryWorkerProcess extends ProbedProcess {
  constructor(
    private readonly opts: { root: string; databaseUrl: string; queuePrefix: string; logFile: string; env?: Record<string, string> },
  ) {
    super({
      name: 'worker',
      root: opts.root,
      entry: 'dist/apps/exchange/src/worker.js',
      logFile: opts.logFile,
      env: {
        DATABASE_URL: opts.databaseUrl,
        QUEUE_PREFIX: opts.queuePrefix,
        LEADEX_APP: 'worker',
        // the bench's receiver listens on 127.0.0.1, which the production SSRF guard refuses
        ALLOW_PRIVATE_BUYER_URLS: 'true',
        ...opts.env,
      },
      rssIntervalMs: 200,
      // SIGTERM lets jobs in hand finish
      stopGraceMs: 15_000,
    });
  }

  cpuSeconds(): number {
    return this.child?.pid ? processCpuSeconds(this.child.pid) : 0;
  }

  /** Spawns the worker and resolves once it says it started (its relay is scheduled by then). */
  async start(): Promise<void> {
    const child = this.spawnProbed();
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
}
