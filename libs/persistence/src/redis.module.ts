import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LeadexConfig } from '@leadex/config';

export const REDIS = Symbol('REDIS');

/** Closes the Redis connection when the app stops, so tests and rolling restarts exit cleanly. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** One ioredis client per process, for both apps; commands fail fast rather than queue while Redis is down. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [LeadexConfig],
      useFactory: (config: LeadexConfig) => {
        const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000, disconnectTimeout: 200, connectionName: `leadex-${process.env.LEADEX_APP ?? 'app'}` });
        // Log an outage once, not once per reconnect attempt; /health reports it while it lasts.
        let down = false;
        const logger = new Logger('Redis');
        redis.on('error', (e) => {
          if (!down) logger.warn(`Redis unavailable: ${e.message}`);
          down = true;
        });
        redis.on('ready', () => {
          if (down) logger.log('Redis connection restored');
          down = false;
        });
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
