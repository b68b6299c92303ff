import { Module } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { LoggerModule } from 'nestjs-pino';
import { LeadexConfig, LeadexConfigModule } from '@leadex/config';
import { PersistenceModule } from '@leadex/persistence';
import { RedisModule } from './common/redis.module';
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
    LoggerModule.forRootAsync({
      inject: [LeadexConfig],
      useFactory: (config: LeadexConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: any, res: any) => {
            const id = (req.headers['x-request-id'] as string) || randomUUID();
            res.setHeader?.('x-request-id', id);
            return id;
          },
          customProps: () => ({ app: 'exchange' }),
          redact: ['req.headers.authorization'],
        },
      }),
    }),
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
