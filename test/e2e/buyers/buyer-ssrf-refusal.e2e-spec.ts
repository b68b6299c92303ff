import { LookupAddress } from 'node:dns';
import { LeadexConfig, loadConfig } from '@leadex/config';
import { MockBuyer, startMockBuyer } from '@leadex/testing';
import { BuyerHttpClient } from '../../../apps/exchange/src/buyers/buyer-http.client';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';

/**
 * With ALLOW_PRIVATE_BUYER_URLS=false (production), the client refuses to call private targets —
 * by literal address, by name, and by a name that re-resolves after the campaign was saved —
 * while a real buyer listens there, so a refusal is the guard's doing and not a dead socket.
 */
const strictConfig = loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'false' });
const laxConfig = loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'true' });

/** A DNS server that answers with the next address in line on every lookup: the rebinding attack. */
class RebindingDnsGuard extends BuyerUrlGuard {
  lookups = 0;
  constructor(config: LeadexConfig, private readonly answers: string[]) {
    super(config);
  }
  protected override async lookupAll(): Promise<LookupAddress[]> {
    const address = this.answers[Math.min(this.lookups++, this.answers.length - 1)];
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  }
}

let v4: MockBuyer;
let v6: MockBuyer | null = null;
const strict = new BuyerHttpClient(strictConfig, new BuyerUrlGuard(strictConfig));
const lax = new BuyerHttpClient(laxConfig, new BuyerUrlGuard(laxConfig));

beforeAll(async () => {
  v4 = await startMockBuyer({ bid: '9.25' });
  v6 = await startMockBuyer({ bid: '9.25', host: '::1' }).catch(() => null); // a host without IPv6 skips those cases
});

afterAll(async () => {
  await Promise.all([strict.onApplicationShutdown(), lax.onApplicationShutdown()]);
  await Promise.all([v4.close(), v6?.close()]);
});

const port = (b: MockBuyer) => new URL(b.url).port;

describe('calling a buyer at a private address when private targets are forbidden', () => {
  it('the listening buyer is reachable when private targets are allowed (the control)', async () => {
    expect(await lax.post(`http://127.0.0.1:${port(v4)}/ping`, {}, { timeoutMs: 2000 })).toMatchObject({ outcome: 'ok', status: 200 });
    expect(await lax.post(`http://localhost:${port(v4)}/ping`, {}, { timeoutMs: 2000 })).toMatchObject({ outcome: 'ok', status: 200 });
    v4.reset();
  });

  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${port(v4)}/ping`],
    ['localhost', () => `http://localhost:${port(v4)}/ping`],
    ['an IPv4-mapped ::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${port(v4)}/ping`],
    ['127.0.0.1 spelled as one number', () => `http://2130706433:${port(v4)}/ping`],
    ['10.x', () => 'http://10.0.0.1/ping'],
    ['169.254.x (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data'],
  ])('%s is refused and never called', async (_name, url) => {
    const r = await strict.post(url(), { fields: {} }, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/private|loopback|reserved/) });
    expect(v4.pings).toHaveLength(0);
  });

  it('[::1] is refused and never called', async () => {
    const url = v6 ? v6.pingUrl : 'http://[::1]:9/ping';
    expect(await strict.post(url, {}, { timeoutMs: 2000 })).toMatchObject({ outcome: 'refused' });
    expect(v6?.pings ?? []).toHaveLength(0);
  });

  it('a name that was public when the campaign was saved and rebinds to loopback is refused at connect time', async () => {
    const guard = new RebindingDnsGuard(strictConfig, ['93.184.216.34', '127.0.0.1']);
    const client = new BuyerHttpClient(strictConfig, guard);
    const url = `http://rebind.example:${port(v4)}/ping`;
    await expect(guard.check(url)).resolves.toBeUndefined(); // saved: it looked public
    const r = await client.post(url, {}, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/rebind\.example resolves to 127\.0\.0\.1/) });
    expect(guard.lookups).toBe(2);
    expect(v4.pings).toHaveLength(0);
    await client.onApplicationShutdown();
  });

  it('the socket goes to the address the guard checked, not to a second lookup of its own', async () => {
    // Allowed lookups answer loopback here: the call must land on the mock buyer through our lookup.
    const config = loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'false' });
    const guard = new (class extends RebindingDnsGuard {
      override async resolvePublic(): Promise<LookupAddress[]> {
        this.lookups++;
        return [{ address: '127.0.0.1', family: 4 }]; // stands in for a checked public address
      }
    })(config, []);
    const client = new BuyerHttpClient(config, guard);
    const r = await client.post(`http://buyer.invalid:${port(v4)}/ping`, {}, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'ok', status: 200 });
    expect(guard.lookups).toBe(1);
    expect(v4.pings).toHaveLength(1);
    expect(v4.pings[0].headers.host).toBe(`buyer.invalid:${port(v4)}`);
    v4.reset();
    await client.onApplicationShutdown();
  });

  it('a URL that is not http(s) is refused in any environment', async () => {
    expect(await lax.post('ftp://127.0.0.1/ping', {}, { timeoutMs: 500 })).toMatchObject({ outcome: 'refused' });
    expect(await lax.post('not a url', {}, { timeoutMs: 500 })).toMatchObject({ outcome: 'refused' });
  });
});
