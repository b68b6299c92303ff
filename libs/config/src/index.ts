export * from './leadex-config';
export * from './config.module';
