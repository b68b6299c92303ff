import { loadConfig } from '@leadex/config';

const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };

describe('ALLOW_PRIVATE_BUYER_URLS', () => {
  it('allows private targets outside production, so local mock buyers work', () => {
    expect(loadConfig({}).ALLOW_PRIVATE_BUYER_URLS).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).ALLOW_PRIVATE_BUYER_URLS).toBe(true);
  });

  it('forbids them in production unless asked for, even when set empty', () => {
    expect(loadConfig(production).ALLOW_PRIVATE_BUYER_URLS).toBe(false);
    expect(loadConfig({ ...production, ALLOW_PRIVATE_BUYER_URLS: '' }).ALLOW_PRIVATE_BUYER_URLS).toBe(false);
    expect(loadConfig({ ...production, ALLOW_PRIVATE_BUYER_URLS: 'true' }).ALLOW_PRIVATE_BUYER_URLS).toBe(true);
  });

  it('may be switched off anywhere', () => {
    expect(loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'false' }).ALLOW_PRIVATE_BUYER_URLS).toBe(false);
  });

  it('comes with the buyer deadlines of the contract', () => {
    const c = loadConfig({});
    expect(c.BUYER_PING_TIMEOUT_MS).toBe(500);
    expect(c.AUCTION_DEADLINE_MS).toBe(750);
    expect(c.BUYER_POOL_CONNECTIONS).toBe(256);
    expect(c.BUYER_RESPONSE_MAX_BYTES).toBe(65536);
  });
});
