import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { LeadexConfig, loadConfig } from '@leadex/config';
import { createExchangeApp } from './app.factory';

async function serve(): Promise<void> {
  const app = await createExchangeApp();
  const config = app.get(LeadexConfig);
  await app.listen({ port: config.EXCHANGE_PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.EXCHANGE_PORT;
  console.log(`Leadex exchange listening on http://127.0.0.1:${port} (API docs: /docs)`);
}

/** EXCHANGE_PROCESSES > 1 (0 = one per CPU): a cluster of exchange processes sharing the port. */
function supervise(processes: number): void {
  let stopping = false;
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`exchange worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); stopping the exchange`);
    process.exit(1);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length || process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const configured = loadConfig().EXCHANGE_PROCESSES;
const processes = configured === 0 ? availableParallelism() : configured;
if (cluster.isPrimary && processes > 1) {
  supervise(processes);
} else {
  serve().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
