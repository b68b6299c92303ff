import { MockBuyer, startMockBuyer, uniformBid } from '@leadex/testing';

/** The mock buyer the exchange's tests and demo bid against: a real HTTP server with knobs. */
const started: MockBuyer[] = [];
async function mock(opts: Parameters<typeof startMockBuyer>[0] = {}): Promise<MockBuyer> {
  const b = await startMockBuyer(opts);
  started.push(b);
  return b;
}
afterAll(() => Promise.all(started.map((b) => b.close())));

async function call(url: string, body: unknown, signal?: AbortSignal) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('the mock buyer', () => {
  it('bids in the contract format, uniformly between $5 and $25 by default, with a bid id it remembers', async () => {
    const b = await mock();
    const prices = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { status, text } = await call(b.pingUrl, { ping_id: `p-${i}`, vertical: 'solar', fields: { zip: '33101' } });
      expect(status).toBe(200);
      const answer = JSON.parse(text);
      expect(answer.bid).toMatch(/^\d+\.\d{2}$/);
      expect(Number(answer.bid)).toBeGreaterThanOrEqual(5);
      expect(Number(answer.bid)).toBeLessThanOrEqual(25);
      expect(b.bids.get(answer.bid_id)).toBe(answer.bid);
      prices.add(answer.bid);
    }
    expect(prices.size).toBeGreaterThan(1);
    expect(b.pings).toHaveLength(30);
    expect(b.pings[0].json).toEqual({ ping_id: 'p-0', vertical: 'solar', fields: { zip: '33101' } });
  });

  it('passes with {"bid":null} when told to, and bids what it is told', async () => {
    const b = await mock({ bid: null });
    expect(JSON.parse((await call(b.pingUrl, {})).text)).toEqual({ bid: null });
    b.setOptions({ bid: '9.25' });
    expect(JSON.parse((await call(b.pingUrl, {})).text)).toMatchObject({ bid: '9.25' });
  });

  it('accepts posts at its accept rate and records them', async () => {
    const b = await mock({ acceptRate: 1 });
    expect(JSON.parse((await call(b.postUrl, { lead_id: 'l-1' })).text)).toEqual({ accepted: true });
    b.setOptions({ acceptRate: 0 });
    expect(JSON.parse((await call(b.postUrl, { lead_id: 'l-2' })).text)).toEqual({ accepted: false, reason: 'not accepted by mock buyer' });
    expect(b.posts.map((p) => (p.json as { lead_id: string }).lead_id)).toEqual(['l-1', 'l-2']);
  });

  it('speaks XML when asked', async () => {
    const b = await mock({ format: 'xml', bid: '7.00', acceptRate: 0 });
    const ping = await call(b.pingUrl, {});
    expect(ping.type).toBe('application/xml');
    expect(ping.text).toMatch(/<result>bid<\/result><price>7\.00<\/price><bid_id>bid-\d+<\/bid_id>/);
    expect((await call(b.postUrl, {})).text).toMatch(/<accepted>false<\/accepted><reason>/);
  });

  it('misbehaves on demand: 500, garbage, hanging, and headers-then-stall', async () => {
    const b = await mock({ mode: 'error500' });
    expect((await call(b.pingUrl, {})).status).toBe(500);
    b.setOptions({ mode: 'malformed' });
    const garbage = await call(b.pingUrl, {});
    expect(() => JSON.parse(garbage.text)).toThrow();

    b.setOptions({ mode: 'hang' });
    await expect(call(b.pingUrl, {}, AbortSignal.timeout(200))).rejects.toThrow();

    b.setOptions({ mode: 'headers-then-stall' });
    const res = await fetch(b.pingUrl, { method: 'POST', body: '{}', signal: AbortSignal.timeout(300) });
    expect(res.status).toBe(200); // the headers came
    await expect(res.text()).rejects.toThrow(); // the body never does
  });

  it('waits its latency before answering', async () => {
    const b = await mock({ latencyMs: [150, 200], bid: '5.00' });
    const t0 = Date.now();
    await call(b.pingUrl, {});
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('counts TCP connections, and which connection carried each request', async () => {
    const b = await mock({ bid: '5.00' });
    await call(b.pingUrl, {});
    await call(b.pingUrl, {});
    expect(b.connections).toBeGreaterThanOrEqual(1);
    expect(b.pings.every((p) => p.connection >= 1 && p.connection <= b.connections)).toBe(true);
  });

  it('answers 404 elsewhere, and closes even with requests hanging', async () => {
    const b = await mock({ mode: 'hang' });
    expect((await fetch(`${b.url}/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    const pending = call(b.pingUrl, {}).then(
      () => 'answered',
      () => 'connection closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await b.close();
    expect(await pending).toBe('connection closed');
  });

  it('uniformBid stays within its bounds, to the cent', () => {
    const edges = [uniformBid('5.00', '25.00', () => 0)(), uniformBid('5.00', '25.00', () => 0.999999)()];
    expect(edges).toEqual(['5.00', '25.00']);
  });
});
