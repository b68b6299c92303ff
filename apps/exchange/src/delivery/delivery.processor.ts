import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { LeadexConfig } from '@leadex/config';
import { DELIVERY_QUEUE, parseDeliveryJob } from '@leadex/contracts';
import { DeliveryOutcome, DeliveryService } from './delivery.service';

/** Consumes the delivery queue: validates each payload read back from Redis, then makes the attempt. */
@Processor(DELIVERY_QUEUE)
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly log = new Logger(DeliveryProcessor.name);
  private lastError?: string;

  constructor(
    private readonly deliveries: DeliveryService,
    private readonly config: LeadexConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.DELIVERY_CONCURRENCY;
  }

  process(job: Job): Promise<DeliveryOutcome> {
    return this.deliveries.run(parseDeliveryJob(job.data));
  }

  /**
   * Queue errors (Redis away, a job's keys lost with it) through the logger, a repeated one once:
   * without a listener BullMQ prints each with its stack on stderr, once per reconnect attempt.
   * PostgreSQL holds the truth; a lost job's delivery is queued again when its lease runs out.
   */
  @OnWorkerEvent('error')
  onError(e: Error): void {
    if (e.message === this.lastError) return;
    this.lastError = e.message;
    this.log.warn(`delivery queue: ${e.message}`);
  }
}
