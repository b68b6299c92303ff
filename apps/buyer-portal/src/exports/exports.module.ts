import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { BillingExportService } from './billing-export.service';
import { BillingResolver } from './billing.resolver';
import { ExportsController } from './exports.controller';

@Module({ imports: [LeadsModule], controllers: [ExportsController], providers: [BillingExportService, BillingResolver] })
export class ExportsModule {}
