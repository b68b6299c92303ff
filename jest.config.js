/** One `npm test` runs the three tiers: unit specs beside the code, integration and e2e under test/. */
const fs = require('fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcConfig.$schema;

const moduleNameMapper = {
  '^@leadex/(auction-core|persistence|contracts|config|testing|buyer-protocol)$': '<rootDir>/libs/$1/src',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', swcConfig] },
  // content-disposition (under @fastify/static, for /docs) ships ESM only; node requires it natively, jest must transform it.
  transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  maxWorkers: 2,
  // CI reads the machine-readable report; people read the default one.
  ...(process.env.LEADEX_JEST_JSON ? { reporters: ['default', ['<rootDir>/test/json-reporter.js', { file: process.env.LEADEX_JEST_JSON }]] } : {}),
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/fast-check-setup.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
