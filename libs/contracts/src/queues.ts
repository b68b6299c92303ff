import { plainToInstance } from 'class-transformer';
import { IsInt, IsUUID, Min, validateSync } from 'class-validator';

/**
 * Queues both apps share: the delivery worker consumes them, the outbox relay fills them, and the
 * operators' dashboard (portal) shows them. Names are prefixed by QUEUE_PREFIX in Redis.
 */
export const DELIVERY_QUEUE = 'deliveries';
export const DELIVERY_JOB = 'deliver';
export const QUEUE_NAMES = [DELIVERY_QUEUE] as const;

/**
 * One delivery attempt to make. The database row is the truth (target, retries, status); the job
 * only says which row, and which enqueueing of it — a job from an older enqueueing is stale.
 */
export class DeliveryJob {
  @IsUUID()
  deliveryId!: string;

  @IsInt() @Min(1)
  seq!: number;
}

/** The BullMQ job id of an enqueueing: a relay that enqueues the same one twice adds it once. */
export const deliveryJobId = (job: DeliveryJob): string => `${job.deliveryId}-${job.seq}`; // BullMQ ids may not contain ":"

export class InvalidJobPayloadError extends Error {}

/** A payload read back from Redis, validated like an HTTP body; throws naming what is wrong. */
export function parseDeliveryJob(data: unknown): DeliveryJob {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidJobPayloadError('delivery job: payload must be an object');
  const job = plainToInstance(DeliveryJob, data);
  const errors = validateSync(job, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw new InvalidJobPayloadError(`delivery job: ${errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ')}`);
  }
  return job;
}
