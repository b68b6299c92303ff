export * from './leadex-config';
export * from './config.module';
export * from './logging.module';
