export * from './exchange-factories';
export * from './exchange-harness';
