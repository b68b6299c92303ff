import { MOCK_BUYER_XML_TEMPLATE, MockBuyer, startMockBuyer, uniformBid } from '../../libs/testing/src/mock-buyer-server';

/**
 * The demo's four live buyers: real HTTP servers on local ports (libs/testing's mock buyer), each
 * with its own latency, bids and appetite, so the newcomer sees a real auction: fast and slow
 * answers, no-bids, an XML buyer read through a campaign template, one buyer that sometimes answers
 * after its deadline (a late answer is no bid), and posts that are sometimes refused (the lead then
 * goes to the next bid).
 */
export interface DemoLiveBuyer {
  letter: string;
  name: string;
  /** One line for the banner. */
  description: string;
  timeoutMs: number;
  template: Record<string, unknown> | null;
  server: MockBuyer;
}

interface Profile {
  letter: string;
  name: string;
  description: string;
  latency: () => number;
  bid: () => string | null;
  acceptRate: number;
  format: 'default' | 'xml';
  timeoutMs: number;
}

const between = (lo: number, hi: number) => () => lo + Math.random() * (hi - lo);
const sometimesNoBid = (share: number, bid: () => string) => () => (Math.random() < share ? null : bid());

const PROFILES: Profile[] = [
  {
    letter: 'A',
    name: 'Acme Auto Insurance',
    description: 'JSON, answers in 30–120 ms, bids 6.00–14.00, takes every post',
    latency: between(30, 120),
    bid: uniformBid('6.00', '14.00'),
    acceptRate: 1,
    format: 'default',
    timeoutMs: 500,
  },
  {
    letter: 'B',
    name: 'Beacon Insurance Group',
    description: 'JSON, 80–250 ms, bids 8.00–20.00 on 75 % of pings, takes 85 % of posts',
    latency: between(80, 250),
    bid: sometimesNoBid(0.25, uniformBid('8.00', '20.00')),
    acceptRate: 0.85,
    format: 'default',
    timeoutMs: 500,
  },
  {
    letter: 'C',
    name: 'Cardinal Quotes',
    description: 'XML (read through a campaign template), 50–200 ms, bids 5.00–16.00, takes 90 % of posts',
    latency: between(50, 200),
    bid: uniformBid('5.00', '16.00'),
    acceptRate: 0.9,
    format: 'xml',
    timeoutMs: 500,
  },
  {
    letter: 'D',
    name: 'Driftwood Direct',
    description: 'JSON, 100–300 ms but 1 ping in 8 takes 450–700 ms (its timeout is 350 ms), bids 10.00–24.00, takes 70 % of posts',
    latency: () => (Math.random() < 0.125 ? between(450, 700)() : between(100, 300)()),
    bid: uniformBid('10.00', '24.00'),
    acceptRate: 0.7,
    format: 'default',
    timeoutMs: 350,
  },
];

export async function startDemoBuyers(): Promise<DemoLiveBuyer[]> {
  const buyers: DemoLiveBuyer[] = [];
  try {
    for (const p of PROFILES) {
      const server = await startMockBuyer({ latencyMs: p.latency, bid: p.bid, acceptRate: p.acceptRate, format: p.format });
      buyers.push({
        letter: p.letter,
        name: p.name,
        description: p.description,
        timeoutMs: p.timeoutMs,
        template: p.format === 'xml' ? { ...MOCK_BUYER_XML_TEMPLATE } : null,
        server,
      });
    }
  } catch (e) {
    await stopDemoBuyers(buyers);
    throw e;
  }
  // the mock records every request for tests; the demo does not need them
  const trim = setInterval(() => buyers.forEach((b) => b.server.reset()), 5000);
  trim.unref();
  return buyers;
}

export async function stopDemoBuyers(buyers: DemoLiveBuyer[]): Promise<void> {
  await Promise.all(buyers.map((b) => b.server.close().catch(() => undefined)));
}
