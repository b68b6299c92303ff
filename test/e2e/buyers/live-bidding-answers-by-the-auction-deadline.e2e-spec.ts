import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LeadexConfigModule } from '@leadex/config';
import { MOCK_BUYER_XML_TEMPLATE, MockBuyer, startMockBuyer } from '@leadex/testing';
import { BuyerBiddingService, LiveBiddingCampaign } from '../../../apps/exchange/src/buyers/buyer-bidding.service';
import { BuyersModule } from '../../../apps/exchange/src/buyers/buyers.module';

/**
 * Live bidding through the Nest module, against mock buyers of every temperament at once:
 * the auction gets one outcome per campaign by its deadline, bids from the good buyers, and a
 * recorded reason for every buyer that was late, failed or malformed.
 */
const DEADLINE_MS = 750;
const SLACK_MS = 300;
const buyers: Record<string, MockBuyer> = {};
let app: INestApplicationContext;
let bidding: BuyerBiddingService;

const campaign = (id: string, b: MockBuyer, extra: Partial<LiveBiddingCampaign> = {}): LiveBiddingCampaign => ({
  id,
  pingUrl: b.pingUrl,
  postUrl: b.postUrl,
  timeoutMs: null,
  template: null,
  ...extra,
});

const ping = { pingId: 'ping-1', vertical: 'auto-insurance', fields: { zip: '33101', state: 'FL', age: 34 } };

beforeAll(async () => {
  const specs = {
    fast: { bid: '12.50' },
    passing: { bid: null },
    xml: { bid: '14.00', format: 'xml' as const },
    slow: { bid: '30.00', latencyMs: 2000 },
    hanging: { mode: 'hang' as const },
    stalling: { mode: 'headers-then-stall' as const },
    failing: { mode: 'error500' as const },
    garbled: { mode: 'malformed' as const },
  };
  for (const [name, opts] of Object.entries(specs)) buyers[name] = await startMockBuyer(opts);
  const moduleRef = await Test.createTestingModule({ imports: [LeadexConfigModule, BuyersModule] }).compile();
  app = await moduleRef.init();
  app.enableShutdownHooks();
  bidding = app.get(BuyerBiddingService);
});

afterAll(async () => {
  await app.close(); // closes the buyer pools
  await Promise.all(Object.values(buyers).map((b) => b.close()));
});

describe('pinging every live campaign for a lead', () => {
  it('answers by the auction deadline with a bid, a pass or a recorded failure for each campaign', async () => {
    const campaigns = [
      campaign('fast', buyers.fast),
      campaign('passing', buyers.passing),
      campaign('xml', buyers.xml, { template: MOCK_BUYER_XML_TEMPLATE }),
      campaign('slow', buyers.slow, { timeoutMs: 5000 }), // its own timeout is longer than the auction
      campaign('hanging', buyers.hanging),
      campaign('stalling', buyers.stalling),
      campaign('failing', buyers.failing),
      campaign('garbled', buyers.garbled),
      campaign('refused', buyers.fast, { pingUrl: 'gopher://127.0.0.1/ping' }),
    ];
    const started = Date.now();
    const outcomes = await bidding.pingAll(campaigns, ping, bidding.deadlineFrom(started));
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    const byId = Object.fromEntries(outcomes.map((o) => [o.campaignId, o]));
    expect(outcomes.map((o) => o.campaignId)).toEqual(campaigns.map((c) => c.id));

    expect(byId.fast).toMatchObject({ kind: 'bid', bidId: expect.stringMatching(/^bid-/) });
    expect(byId.fast.kind === 'bid' && byId.fast.price.toFixed(2)).toBe('12.50');
    expect(byId.xml.kind === 'bid' && byId.xml.price.toFixed(2)).toBe('14.00');
    expect(byId.passing).toMatchObject({ kind: 'no_bid' });
    expect(byId.slow).toMatchObject({ kind: 'timeout', reason: expect.stringMatching(/auction deadline/) });
    expect(byId.hanging).toMatchObject({ kind: 'timeout', reason: 'no answer within 500 ms' }); // BUYER_PING_TIMEOUT_MS
    expect(byId.stalling).toMatchObject({ kind: 'timeout' });
    expect(byId.failing).toMatchObject({ kind: 'malformed', reason: 'http 500' });
    expect(byId.garbled).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/not JSON/) });
    expect(byId.refused).toMatchObject({ kind: 'refused' });
  });

  it('sends each buyer exactly the ping it was given: the XML buyer its own format, nobody any PII', async () => {
    expect(buyers.fast.pings.at(-1)?.json).toEqual({ ping_id: 'ping-1', vertical: 'auto-insurance', fields: ping.fields });
    expect(buyers.xml.pings.at(-1)?.body).toBe('<ping><id>ping-1</id><vertical>auto-insurance</vertical><zip>33101</zip></ping>');
    expect(buyers.xml.pings.at(-1)?.headers['content-type']).toBe('application/xml');
    for (const b of Object.values(buyers)) for (const p of b.pings) expect(p.body).not.toMatch(/first_name|email|phone|Ana/);
  });

  it('an empty market answers at once', async () => {
    expect(await bidding.pingAll([], ping, bidding.deadlineFrom())).toEqual([]);
  });

  it('a campaign whose template no longer compiles is an error, not a crash', async () => {
    const [o] = await bidding.pingAll([campaign('broken', buyers.fast, { template: { pingBid: 'bid.(' } })], ping, bidding.deadlineFrom());
    expect(o).toMatchObject({ kind: 'error', reason: expect.stringMatching(/^template\.pingBid: /) });
  });
});

describe('posting the sold lead to the winner', () => {
  const post = {
    pingId: 'ping-1',
    bidId: 'bid-1',
    leadId: 'lead-1',
    vertical: 'auto-insurance',
    price: '12.50',
    fields: { ...ping.fields, first_name: 'Ana', email: 'ana@example.com' },
    consent: { tcpa: true },
  };

  it('the buyer accepts, and got the whole lead', async () => {
    buyers.fast.setOptions({ acceptRate: 1 });
    expect(await bidding.post(campaign('fast', buyers.fast), post)).toMatchObject({ kind: 'accepted', campaignId: 'fast' });
    expect(buyers.fast.posts.at(-1)?.json).toEqual({
      ping_id: 'ping-1', bid_id: 'bid-1', lead_id: 'lead-1', vertical: 'auto-insurance', price: '12.50', fields: post.fields, consent: { tcpa: true },
    });
  });

  it('the buyer refuses with a reason, in JSON or XML', async () => {
    buyers.fast.setOptions({ acceptRate: 0 });
    buyers.xml.setOptions({ acceptRate: 0 });
    expect(await bidding.post(campaign('fast', buyers.fast), post)).toMatchObject({ kind: 'rejected', reason: 'not accepted by mock buyer' });
    expect(await bidding.post(campaign('xml', buyers.xml, { template: MOCK_BUYER_XML_TEMPLATE }), post)).toMatchObject({
      kind: 'rejected',
      reason: 'not accepted by mock buyer',
    });
  });

  it('a buyer that does not answer the post in time is a timeout, for the caller to settle', async () => {
    expect(await bidding.post(campaign('hanging', buyers.hanging), post, { timeoutMs: 200 })).toMatchObject({ kind: 'timeout' });
  });

  it('a campaign without a postUrl is not posted to', async () => {
    expect(await bidding.post(campaign('fast', buyers.fast, { postUrl: null }), post)).toMatchObject({ kind: 'error', reason: 'campaign has no postUrl' });
  });
});
