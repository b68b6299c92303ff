import { Global, Module } from '@nestjs/common';
import { LeadexConfig, loadConfig } from './leadex-config';

/** Provides the one validated LeadexConfig to every module. */
@Global()
@Module({
  providers: [{ provide: LeadexConfig, useFactory: () => loadConfig() }],
  exports: [LeadexConfig],
})
export class LeadexConfigModule {}
