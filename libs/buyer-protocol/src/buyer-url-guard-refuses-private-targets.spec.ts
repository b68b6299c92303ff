import { LookupAddress } from 'node:dns';
import { LeadexConfig, loadConfig } from '@leadex/config';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { BuyerUrlGuard } from './buyer-url-guard';

/** A guard whose DNS is a table, so no test depends on the network. */
class TableDnsGuard extends BuyerUrlGuard {
  constructor(config: LeadexConfig, private readonly table: Record<string, string[]>) {
    super(config);
  }
  protected override async lookupAll(hostname: string): Promise<LookupAddress[]> {
    const addresses = this.table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

const dns = {
  'buyer.example': ['93.184.216.34'],
  'internal.example': ['10.0.0.7'],
  'mixed.example': ['93.184.216.34', '127.0.0.1'],
  'v6.example': ['2606:4700::1111'],
};
const strict = new TableDnsGuard(loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'false' }), dns);
const lax = new TableDnsGuard(loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'true' }), dns);

async function refusal(guard: BuyerUrlGuard, url: string, field?: string): Promise<DomainException> {
  try {
    await guard.check(url, field);
  } catch (e) {
    return e as DomainException;
  }
  throw new Error(`${url} was accepted`);
}

describe('a buyer URL saved on a campaign', () => {
  it.each([
    'http://127.0.0.1:8080/ping',
    'http://10.1.2.3/ping',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/ping',
    'http://[::ffff:127.0.0.1]/ping',
    'http://2130706433/ping',
    'http://0.0.0.0/ping',
    'https://internal.example/ping',
    'https://mixed.example/ping',
    'https://nowhere.example/ping',
  ])('%s is refused when private targets are forbidden', async (url) => {
    const e = await refusal(strict, url, 'pingUrl');
    expect(e).toBeInstanceOf(DomainException);
    expect(e.code).toBe(ErrorCode.ValidationFailed);
    expect(e.errors).toEqual([{ field: 'pingUrl', message: expect.any(String) }]);
  });

  it('names what it resolved to', async () => {
    expect((await refusal(strict, 'https://mixed.example/p')).errors[0].message).toMatch(/resolves to 127\.0\.0\.1/);
  });

  it.each(['https://buyer.example/ping', 'http://v6.example:8080/ping?key=1', 'https://93.184.216.34/ping', 'http://[2606:4700::1111]/'])(
    '%s is a public target',
    async (url) => {
      await expect(strict.check(url)).resolves.toBeUndefined();
    },
  );

  it.each(['ftp://buyer.example/ping', 'file:///etc/passwd', 'buyer.example/ping', 'https://user:pw@buyer.example/ping', 'javascript:alert(1)'])(
    '%s is refused in any environment',
    async (url) => {
      const e = await refusal(lax, url);
      expect(e.code).toBe(ErrorCode.ValidationFailed);
      expect(e.errors[0].field).toBe('url');
    },
  );

  it('loopback and private targets are allowed when the flag allows them (development, tests)', async () => {
    await expect(lax.check('http://127.0.0.1:4000/ping')).resolves.toBeUndefined();
    await expect(lax.check('http://internal.example/ping')).resolves.toBeUndefined();
  });
});
