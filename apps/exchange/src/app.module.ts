import { Module } from '@nestjs/common';
import { PersistenceModule, RedisModule } from '@leadex/persistence';
import { LeadexConfigModule, leadexLoggerModule } from '@leadex/config';
import { HealthController } from './health/health.controller';
import { IdempotencyService } from './leads/idempotency.service';
import { LeadIntakeService } from './leads/lead-intake.service';
import { LeadsController } from './leads/leads.controller';
import { LeadsService } from './leads/leads.service';
import { SaleService } from './leads/sale.service';
import { CatalogService } from './market/catalog.service';
import { MarketStateService } from './market/market-state.service';
import { SupplierRateLimitGuard } from './rate-limit/supplier-rate-limit.guard';
import { SupplierAuthGuard } from './suppliers/supplier-auth.guard';
import { VerticalsController } from './verticals/verticals.controller';

@Module({
  imports: [
    LeadexConfigModule,
    leadexLoggerModule('exchange'),
    PersistenceModule,
    RedisModule,
  ],
  controllers: [HealthController, LeadsController, VerticalsController],
  providers: [
    CatalogService,
    MarketStateService,
    IdempotencyService,
    LeadIntakeService,
    SaleService,
    LeadsService,
    SupplierAuthGuard,
    SupplierRateLimitGuard,
  ],
})
export class ExchangeModule {}
