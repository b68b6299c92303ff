import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { LeadexConfig, LeadexConfigModule, leadexLoggerModule } from '@leadex/config';
import { DELIVERY_QUEUE } from '@leadex/contracts';
import { PersistenceModule, queueConnection } from '@leadex/persistence';
import { BuyersModule } from '../buyers/buyers.module';
import { DeliveryProcessor } from './delivery.processor';
import { DeliveryRelayService } from './delivery-relay.service';
import { DeliveryService } from './delivery.service';
import { EmailSender } from './email.sender';
import { NotificationMailerService } from './notification-mailer.service';

/**
 * The delivery worker (its own entry point, worker.ts): the outbox relay, the queue consumer that
 * makes webhook and email deliveries, and the notification mailer. No HTTP server.
 */
@Module({
  imports: [
    LeadexConfigModule,
    leadexLoggerModule('worker'),
    PersistenceModule,
    BuyersModule,
    BullModule.forRootAsync({
      inject: [LeadexConfig],
      useFactory: (config: LeadexConfig) => ({ connection: queueConnection(config.REDIS_URL, 'worker'), prefix: config.QUEUE_PREFIX }),
    }),
    // The consumer's queue; the relay produces through a fail-fast connection of its own.
    BullModule.registerQueue({ name: DELIVERY_QUEUE }),
  ],
  providers: [EmailSender, DeliveryService, DeliveryProcessor, DeliveryRelayService, NotificationMailerService],
})
export class DeliveryWorkerModule {}
