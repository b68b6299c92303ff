import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtSignOptions } from '@nestjs/jwt';
import type Redis from 'ioredis';
import { LeadexConfig } from '@leadex/config';
import { REDIS } from '@leadex/persistence';
import { AuthGuard } from './auth.guard';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { resolveJwtSecret } from './jwt-secret.provider';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [LeadexConfig, REDIS],
      useFactory: async (config: LeadexConfig, redis: Redis) => {
        const logger = new Logger('Auth');
        const secret = await resolveJwtSecret(config, redis, (m) => logger.warn(m));
        return {
          secret,
          signOptions: { expiresIn: config.JWT_EXPIRES_IN as JwtSignOptions['expiresIn'], algorithm: 'HS256', issuer: 'leadex-portal' },
          verifyOptions: { algorithms: ['HS256'], issuer: 'leadex-portal' },
        };
      },
    }),
  ],
  providers: [AuthService, AuthResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
