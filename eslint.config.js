// Flat config. The one rule that matters most: libs/auction-core stays pure (no framework, no I/O).
const tseslint = require('typescript-eslint');

const IMPURE = ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', '@nestjs/bullmq', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'undici', 'node:*'];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['libs/auction-core/**/*.ts'],
    ignores: ['libs/auction-core/src/core-stays-pure.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: IMPURE, message: 'libs/auction-core is pure: plain functions over plain data, no framework or I/O.' }] }],
    },
  },
);
