import { Module } from '@nestjs/common';
import { DeliveriesResolver, LeadDeliveryResolver } from './deliveries.resolver';
import { DeliveriesService } from './deliveries.service';

@Module({ providers: [DeliveriesService, DeliveriesResolver, LeadDeliveryResolver], exports: [DeliveriesService] })
export class DeliveriesModule {}
