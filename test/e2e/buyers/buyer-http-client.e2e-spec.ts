import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadConfig } from '@leadex/config';
import { MockBuyer, startMockBuyer } from '@leadex/testing';
import { BuyerHttpClient } from '../../../apps/exchange/src/buyers/buyer-http.client';
import { BuyerUrlGuard, parsePingAnswer } from '@leadex/buyer-protocol';

/**
 * The buyer HTTP client against real sockets: however a buyer misbehaves, a call comes back by its
 * deadline as a value. Timing bounds are deliberately generous: they prove "bounded", not "fast".
 */
const SLACK_MS = 300;
const config = loadConfig({ ALLOW_PRIVATE_BUYER_URLS: 'true' });
const client = new BuyerHttpClient(config, new BuyerUrlGuard(config));
const buyers: MockBuyer[] = [];
const servers: Server[] = [];

async function buyer(opts: Parameters<typeof startMockBuyer>[0]): Promise<MockBuyer> {
  const b = await startMockBuyer(opts);
  buyers.push(b);
  return b;
}

async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; elapsed: number }> {
  const started = Date.now();
  const result = await fn();
  return { result, elapsed: Date.now() - started };
}

afterAll(async () => {
  await client.onApplicationShutdown();
  await Promise.all(buyers.map((b) => b.close()));
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('calling a buyer endpoint', () => {
  it('a buyer that answers gets its answer read, with status and latency', async () => {
    const b = await buyer({ bid: '9.25' });
    const r = await client.post(b.pingUrl, { ping_id: 'p-1', vertical: 'solar', fields: { zip: '33101' } }, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'ok', status: 200 });
    if (r.outcome !== 'ok') return;
    expect(JSON.parse(r.body)).toEqual({ bid: '9.25', bid_id: expect.any(String) });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(b.pings[0].json).toEqual({ ping_id: 'p-1', vertical: 'solar', fields: { zip: '33101' } });
    expect(b.pings[0].headers['content-type']).toBe('application/json');
    expect(b.pings[0].headers['user-agent']).toBe('Leadex/1');
  });

  it('sends a template body as is, with its headers, but keeps its own User-Agent', async () => {
    const b = await buyer({ format: 'xml', bid: '3.00' });
    const r = await client.post(b.pingUrl, '<ping><zip>33101</zip></ping>', {
      timeoutMs: 2000,
      headers: { 'Content-Type': 'application/xml', 'X-Api-Key': 'k-1' },
    });
    expect(r.outcome).toBe('ok');
    expect(b.pings[0].body).toBe('<ping><zip>33101</zip></ping>');
    expect(b.pings[0].headers).toMatchObject({ 'content-type': 'application/xml', 'x-api-key': 'k-1', 'user-agent': 'Leadex/1' });
  });

  it('a buyer that never answers times out at its timeout', async () => {
    const b = await buyer({ mode: 'hang' });
    const { result, elapsed } = await timed(() => client.post(b.pingUrl, {}, { timeoutMs: 300 }));
    expect(result).toMatchObject({ outcome: 'timeout', reason: 'no answer within 300 ms' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
    expect(b.pings).toHaveLength(1); // it was asked
  });

  it('a buyer that takes 2 s is cut at a 500 ms timeout', async () => {
    const b = await buyer({ latencyMs: 2000, bid: '20.00' });
    const { result, elapsed } = await timed(() => client.post(b.pingUrl, {}, { timeoutMs: 500 }));
    expect(result.outcome).toBe('timeout');
    expect(elapsed).toBeLessThan(500 + SLACK_MS);
  });

  it('a buyer that sends headers then stalls the body still times out', async () => {
    const b = await buyer({ mode: 'headers-then-stall' });
    const { result, elapsed } = await timed(() => client.post(b.pingUrl, {}, { timeoutMs: 300 }));
    expect(result.outcome).toBe('timeout');
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
  });

  it('a buyer that trickles its body a byte at a time is cut at the deadline', async () => {
    const url = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 20);
      res.on('close', () => clearInterval(t));
    });
    const { result, elapsed } = await timed(() => client.post(url, {}, { timeoutMs: 300 }));
    expect(result.outcome).toBe('timeout');
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
  });

  it('the auction deadline cuts a longer campaign timeout', async () => {
    const b = await buyer({ mode: 'hang' });
    const { result, elapsed } = await timed(() => client.post(b.pingUrl, {}, { timeoutMs: 5000, deadline: Date.now() + 300 }));
    expect(result.outcome).toBe('timeout');
    if (result.outcome === 'timeout') expect(result.reason).toMatch(/auction deadline/);
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
  });

  it('a deadline already passed makes no call at all', async () => {
    const b = await buyer({ bid: '5.00' });
    const r = await client.post(b.pingUrl, {}, { timeoutMs: 500, deadline: Date.now() - 1 });
    expect(r).toEqual({ outcome: 'timeout', reason: 'auction deadline already passed', latencyMs: 0 });
    expect(b.pings).toHaveLength(0);
  });

  it('a 500 answer is read, and the wire format makes it a malformed no-bid', async () => {
    const b = await buyer({ mode: 'error500' });
    const r = await client.post(b.pingUrl, {}, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'ok', status: 500 });
    if (r.outcome === 'ok') expect(await parsePingAnswer(null, r.status, r.body)).toEqual({ kind: 'malformed', reason: 'http 500' });
  });

  it('malformed JSON is read, and the wire format makes it a malformed no-bid', async () => {
    const b = await buyer({ mode: 'malformed' });
    const r = await client.post(b.pingUrl, {}, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'ok', status: 200 });
    if (r.outcome === 'ok') expect(await parsePingAnswer(null, r.status, r.body)).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/not JSON/) });
  });

  it('an over-large answer is an error, announced or streamed', async () => {
    const big = JSON.stringify({ bid: '9.25', pad: 'x'.repeat(100 * 1024) });
    const announced = await rawServer((req, res) => res.writeHead(200, { 'content-length': Buffer.byteLength(big) }).end(big));
    const streamed = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length up front
      for (let i = 0; i < big.length; i += 8192) res.write(big.slice(i, i + 8192));
      res.end();
    });
    for (const url of [announced, streamed]) {
      expect(await client.post(url, {}, { timeoutMs: 2000 })).toMatchObject({ outcome: 'error', reason: 'response too large' });
    }
  });

  it('a buyer that is not listening is an error, at once', async () => {
    const closed = await rawServer(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const { result, elapsed } = await timed(() => client.post(closed, {}, { timeoutMs: 2000 }));
    expect(result).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(elapsed).toBeLessThan(2000);
  });

  it('a body that cannot be serialized is an error, not a throw', async () => {
    const b = await buyer({});
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await client.post(b.pingUrl, cyclic, { timeoutMs: 500 })).toMatchObject({ outcome: 'error' });
  });

  it('keeps connections alive: a buyer pinged many times sees far fewer connections', async () => {
    const b = await buyer({ bid: '5.00', latencyMs: 5 });
    const rounds = 5;
    const perRound = 4;
    for (let i = 0; i < rounds; i++) {
      const results = await Promise.all(Array.from({ length: perRound }, () => client.post(b.pingUrl, {}, { timeoutMs: 2000 })));
      expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    }
    expect(b.pings).toHaveLength(rounds * perRound);
    expect(b.connections).toBeLessThanOrEqual(perRound * 2);
    expect(b.connections).toBeLessThan(rounds * perRound);
  });

  it('a timed-out call does not poison the pool for the next one', async () => {
    const b = await buyer({ mode: 'hang' });
    expect((await client.post(b.pingUrl, {}, { timeoutMs: 200 })).outcome).toBe('timeout');
    b.setOptions({ mode: 'normal', bid: '7.00' });
    const r = await client.post(b.pingUrl, {}, { timeoutMs: 2000 });
    expect(r).toMatchObject({ outcome: 'ok', status: 200 });
  });
});
