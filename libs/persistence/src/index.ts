export * from './entities';
export * from './money.transformer';
export * from './data-source';
export * from './persistence.module';
export * from './pg-errors';
export * from './redis.module';
