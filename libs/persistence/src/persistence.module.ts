import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadexConfig } from '@leadex/config';
import { dataSourceOptions, ENTITIES } from './data-source';

/** The TypeORM DataSource for an app, configured from LeadexConfig; migrations never run implicitly. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [LeadexConfig],
      useFactory: (config: LeadexConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE, `leadex-${process.env.LEADEX_APP ?? 'app'}`),
        migrationsRun: false,
        retryAttempts: 1,
      }),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class PersistenceModule {}
