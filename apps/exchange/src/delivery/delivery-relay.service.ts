import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DELIVERY_JOB, DELIVERY_QUEUE, DeliveryJob, deliveryJobId } from '@leadex/contracts';
import { pgPoolOf, queueConnection } from '@leadex/persistence';

/**
 * The outbox relay: moves due deliveries from PostgreSQL onto the BullMQ queue. Due rows are claimed
 * (status QUEUED, a new enqueue number, a lease), then their jobs added; when Redis is down the claim
 * is undone and the rows wait, so a sale made during an outage is delivered when Redis is back. A
 * queued row whose lease runs out (its job lost with Redis, its worker killed) is due again and
 * queued anew under a new enqueue number; a job of an older number is stale and skipped.
 */
@Injectable()
export class DeliveryRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DeliveryRelayService.name);
  private readonly pool: Pool;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private redisDown = false;
  private readonly queue: Queue;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {
    this.pool = pgPoolOf(dataSource);
    // Fail fast while Redis is down (no offline queue): the transaction rolls back, rows wait.
    this.queue = new Queue(DELIVERY_QUEUE, {
      connection: queueConnection(config.REDIS_URL, 'producer'),
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
    });
    this.queue.on('error', () => undefined); // reported once per outage by relayDue
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.queue.close().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayDue()
        .then((moved) => this.schedule(moved >= this.config.DELIVERY_RELAY_BATCH ? 0 : this.config.DELIVERY_RELAY_INTERVAL_MS))
        .catch((e) => {
          this.log.warn(`delivery relay: ${(e as Error).message}`);
          this.schedule(Math.max(this.config.DELIVERY_RELAY_INTERVAL_MS, 1000));
        });
    }, ms);
  }

  /**
   * One round: claims up to a batch of due deliveries and queues them; returns how many. The claim
   * commits before the jobs are added, so a worker that takes a job at once finds its row claimed;
   * if Redis refuses the jobs, the claim is undone (or, should that fail too, its lease runs out).
   */
  async relayDue(): Promise<number> {
    // Backpressure: while the queue still holds a couple of rounds of jobs, claim nothing more, so a
    // backlog (a slow CRM) does not outlive its leases and get queued twice. Redis down: rows wait.
    let backlog: number;
    try {
      backlog = await this.queue.getWaitingCount();
    } catch (e) {
      this.noteRedisDown(e);
      return 0;
    }
    if (backlog >= 2 * this.config.DELIVERY_RELAY_BATCH) return 0;
    const { rows } = await this.pool.query<{ id: string; enqueue_seq: number }>(
      `WITH due AS (
         SELECT id FROM deliveries
          WHERE status IN ('PENDING', 'QUEUED') AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE deliveries d SET status = 'QUEUED', enqueue_seq = d.enqueue_seq + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM due WHERE d.id = due.id
       RETURNING d.id, d.enqueue_seq`,
      [this.config.DELIVERY_RELAY_BATCH, this.config.DELIVERY_LEASE_MS],
    );
    if (!rows.length) return 0;
    const jobs: DeliveryJob[] = rows.map((r) => ({ deliveryId: r.id, seq: r.enqueue_seq }));
    try {
      await this.queue.addBulk(jobs.map((data) => ({ name: DELIVERY_JOB, data, opts: { jobId: deliveryJobId(data) } })));
    } catch (e) {
      this.noteRedisDown(e);
      await this.pool.query(
        `UPDATE deliveries d SET status = 'PENDING', next_attempt_at = now() + interval '1 second'
           FROM unnest($1::uuid[], $2::int[]) AS j(id, seq)
          WHERE d.id = j.id AND d.enqueue_seq = j.seq AND d.status = 'QUEUED'`,
        [jobs.map((j) => j.deliveryId), jobs.map((j) => j.seq)],
      );
      return 0;
    }
    if (this.redisDown) this.log.log('delivery relay: Redis is back, queueing deliveries again');
    this.redisDown = false;
    return rows.length;
  }

  /** Logged once per outage; /health and the worker's own logs say the rest. */
  private noteRedisDown(e: unknown): void {
    if (!this.redisDown) this.log.warn(`delivery relay: Redis refused the jobs, deliveries wait in PostgreSQL (${(e as Error).message})`);
    this.redisDown = true;
  }
}
