import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { LeadexConfig } from '@leadex/config';
import { DELIVERY_QUEUE, parseDeliveryJob } from '@leadex/contracts';
import { DeliveryOutcome, DeliveryService } from './delivery.service';

/** Consumes the delivery queue: validates each payload read back from Redis, then makes the attempt. */
@Processor(DELIVERY_QUEUE)
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
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
}
