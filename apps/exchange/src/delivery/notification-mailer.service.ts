import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { pgPoolOf } from '@leadex/persistence';
import { EmailSender } from './email.sender';

const BATCH = 100;

/**
 * Emails buyers their notifications (caps reached, failed deliveries, auto-paused campaigns, low
 * balance) when SMTP is configured and the buyer has a notify address. Each notification is taken by
 * one worker (SKIP LOCKED) and `emailed_at` says the mailer handled it; a send that fails is put back.
 */
@Injectable()
export class NotificationMailerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(NotificationMailerService.name);
  private readonly pool: Pool;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
    private readonly email: EmailSender,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  onApplicationBootstrap(): void {
    if (!this.email.configured) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sendDue()
        .catch((e) => this.log.warn(`notification emails: ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.NOTIFICATION_EMAIL_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Emails one batch; returns how many were sent. */
  async sendDue(): Promise<number> {
    const { rows } = await this.pool.query<{ id: string; message: string; kind: string; notify_email: string | null }>(
      `WITH due AS (
         SELECT id FROM notifications WHERE emailed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE notifications n SET emailed_at = now() FROM due WHERE n.id = due.id
       RETURNING n.id, n.message, n.kind, (SELECT b.notify_email FROM buyers b WHERE b.id = n.buyer_id) AS notify_email`,
      [BATCH],
    );
    let sent = 0;
    for (const n of rows) {
      if (!n.notify_email) continue;
      try {
        await this.email.send({ to: n.notify_email, subject: `Leadex: ${n.kind.toLowerCase().replace(/_/g, ' ')}`, text: n.message });
        sent++;
      } catch (e) {
        this.log.warn(`notification ${n.id} not emailed: ${(e as Error).message}`);
        await this.pool.query('UPDATE notifications SET emailed_at = NULL WHERE id = $1', [n.id]);
      }
    }
    return sent;
  }
}
