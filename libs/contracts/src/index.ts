export * from './error-code.enum';
export * from './domain.exception';
export * from './enums';
export * from './supplier-api-key.util';
export * from './queues';
