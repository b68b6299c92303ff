import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { PersistenceModule, RedisModule } from '@leadex/persistence';
import { LeadexConfig, LeadexConfigModule, leadexLoggerModule } from '@leadex/config';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BuyersModule } from './buyers/buyers.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { PortalExceptionFilter } from './common/domain-exception.filter';
import { formatGraphQLError } from './common/graphql-error.formatter';
import { queryComplexityPlugin } from './common/query-limits.plugin';
import { depthLimitRule } from './common/query-limits.util';
import { ExportsModule } from './exports/exports.module';
import { FundsModule } from './funds/funds.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DispositionsModule } from './dispositions/dispositions.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { DEFAULT_LEADS_PAGE } from './leads/leads.service';
import { LeadsModule } from './leads/leads.module';
import { ReportsModule } from './reports/reports.module';
import { ReturnsModule } from './returns/returns.module';
import { SuppliersModule } from './suppliers/suppliers.module';
import { UsersModule } from './users/users.module';
import { VerticalsModule } from './verticals/verticals.module';


@Module({
  imports: [
    LeadexConfigModule,
    leadexLoggerModule('buyer-portal'),
    PersistenceModule,
    RedisModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [LeadexConfig],
      useFactory: (config: LeadexConfig) => ({
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: false,
        playground: false,
        introspection: config.GRAPHQL_INTROSPECTION,
        includeStacktraceInErrorResponses: false,
        formatError: formatGraphQLError,
        validationRules: [depthLimitRule(config.GRAPHQL_MAX_DEPTH)],
        plugins: [
          queryComplexityPlugin({
            maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
            defaultPageSize: DEFAULT_LEADS_PAGE,
            maxPageSize: config.LEADS_PAGE_MAX,
          }),
        ],
        context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
      }),
    }),
    AuthModule,
    UsersModule,
    SuppliersModule,
    BuyersModule,
    VerticalsModule,
    CampaignsModule,
    LeadsModule,
    DeliveriesModule,
    NotificationsModule,
    DispositionsModule,
    ExportsModule,
    ReportsModule,
    FundsModule,
    ReturnsModule,
    HealthModule,
    AdminModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: PortalExceptionFilter }],
})
export class PortalAppModule {}
