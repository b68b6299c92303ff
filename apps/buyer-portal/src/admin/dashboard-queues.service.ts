import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { LeadexConfig } from '@leadex/config';
import { QUEUE_NAMES } from '@leadex/contracts';
import { queueConnection } from '@leadex/persistence';

/**
 * The queues the operators' dashboard shows, read through fail-fast connections (the dashboard shows
 * an error while Redis is down), closed with the app so nothing keeps the process alive.
 */
@Injectable()
export class DashboardQueues implements OnApplicationShutdown {
  readonly queues: Queue[];

  constructor(config: LeadexConfig) {
    this.queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: queueConnection(config.REDIS_URL, 'producer'), prefix: config.QUEUE_PREFIX }));
    // A Queue's connection reports Redis errors as events; the dashboard's API answers them instead.
    for (const q of this.queues) q.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
  }
}
