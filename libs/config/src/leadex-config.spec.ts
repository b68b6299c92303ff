import { ConfigValidationError, loadConfig } from './leadex-config';

describe('loadConfig', () => {
  it('gives the contract defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/leadex');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.EXCHANGE_PORT).toBe(3000);
    expect(c.PORTAL_PORT).toBe(3001);
    expect(c.BODY_LIMIT_BYTES).toBe(65536);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ EXCHANGE_PORT: 'abc', LOG_LEVEL: 'loud', NODE_ENV: 'production' });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      const problems = (e as ConfigValidationError).problems.join('\n');
      expect(problems).toContain('EXCHANGE_PORT');
      expect(problems).toContain('LOG_LEVEL');
      expect(problems).toContain('JWT_SECRET is required in production');
    }
  });

  it('turns introspection off in production unless asked for', () => {
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(c.GRAPHQL_INTROSPECTION).toBe(false);
  });
});
