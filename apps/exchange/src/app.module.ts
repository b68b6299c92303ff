import { Module } from '@nestjs/common';
import { PersistenceModule, RedisModule } from '@leadex/persistence';
import { LeadexConfigModule, leadexLoggerModule } from '@leadex/config';
import { CampaignHealthService } from './auction/campaign-health.service';
import { LiveAuctionService } from './auction/live-auction.service';
import { WaterfallService } from './auction/waterfall.service';
import { BuyersModule } from './buyers/buyers.module';
import { HealthController } from './health/health.controller';
import { IdempotencyService } from './leads/idempotency.service';
import { LeadIntakeService } from './leads/lead-intake.service';
import { LeadsController } from './leads/leads.controller';
import { LeadsService } from './leads/leads.service';
import { SaleService } from './leads/sale.service';
import { CatalogService } from './market/catalog.service';
import { MarketStateService } from './market/market-state.service';
import { PingPostController } from './ping-post/ping-post.controller';
import { PingPostService } from './ping-post/ping-post.service';
import { SupplierRateLimitGuard } from './rate-limit/supplier-rate-limit.guard';
import { SupplierReportsController } from './reports/supplier-reports.controller';
import { SupplierReportsService } from './reports/supplier-reports.service';
import { SupplierAuthGuard } from './suppliers/supplier-auth.guard';
import { LeadEventsService } from './timeline/lead-events.service';
import { VerticalsController } from './verticals/verticals.controller';

@Module({
  imports: [
    LeadexConfigModule,
    leadexLoggerModule('exchange'),
    PersistenceModule,
    RedisModule,
    BuyersModule,
  ],
  controllers: [HealthController, LeadsController, PingPostController, VerticalsController, SupplierReportsController],
  providers: [
    CatalogService,
    MarketStateService,
    IdempotencyService,
    LeadIntakeService,
    SaleService,
    LeadsService,
    CampaignHealthService,
    LiveAuctionService,
    WaterfallService,
    LeadEventsService,
    PingPostService,
    SupplierAuthGuard,
    SupplierReportsService,
    SupplierRateLimitGuard,
  ],
})
export class ExchangeModule {}
