import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { LeadexConfig } from '@leadex/config';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** A stable Message-ID, so a message sent again (at-least-once) is recognisably the same one. */
  messageId?: string;
  headers?: Record<string, string>;
}

/** Sends email over SMTP_URL (nodemailer, pooled connections); throws when it is not configured or refused. */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private readonly log = new Logger(EmailSender.name);
  private transport?: Transporter;

  constructor(private readonly config: LeadexConfig) {}

  get configured(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  async send(message: EmailMessage): Promise<string> {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not configured: email deliveries cannot be sent');
    // nodemailer's SMTP transport reads the connection from `url` and the rest from the options.
    const options = {
      url: this.config.SMTP_URL,
      connectionTimeout: this.config.DELIVERY_TIMEOUT_MS,
      greetingTimeout: this.config.DELIVERY_TIMEOUT_MS,
      socketTimeout: this.config.DELIVERY_TIMEOUT_MS,
    } as SMTPTransport.Options;
    this.transport ??= createTransport(options, { from: this.config.SMTP_FROM });
    const info = await this.transport.sendMail({
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      headers: message.headers,
    });
    return String(info.response ?? '');
  }

  onApplicationShutdown(): void {
    try {
      this.transport?.close();
    } catch (e) {
      this.log.warn(`closing SMTP transport: ${(e as Error).message}`);
    }
  }
}
