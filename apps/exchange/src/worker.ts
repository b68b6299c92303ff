import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DeliveryWorkerModule } from './delivery/delivery-worker.module';

/**
 * The delivery worker, apart from the API so deliveries scale on their own (`npm run start:worker`).
 * SIGTERM/SIGINT close it gracefully: no new jobs are taken, jobs in hand finish and are recorded;
 * a worker killed outright leaves its jobs to be queued again when their lease runs out.
 */
async function main(): Promise<void> {
  process.env.LEADEX_APP ??= 'worker';
  const app = await NestFactory.createApplicationContext(DeliveryWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Not enableShutdownHooks, which re-raises the signal after closing: a worker that closed cleanly
  // (jobs in hand finished and recorded) then looks killed. It exits 0; one that could not, 1.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      app.close().then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
  }
  console.log('Leadex delivery worker started');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
