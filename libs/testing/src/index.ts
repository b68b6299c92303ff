export * from './exchange-factories';
export * from './exchange-harness';
export * from './exchange-process';
