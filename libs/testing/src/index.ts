export * from './exchange-factories';
export * from './exchange-harness';
export * from './exchange-process';
export * from './portal-client';
export * from './portal-factories';
export * from './mock-buyer-server';
