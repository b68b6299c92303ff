/**
 * The ping bench's live buyers: N mock buyer servers (libs/testing's real HTTP mock buyer) in one
 * child process of their own, so their CPU is measured apart from the exchange's and the bench's.
 *
 * Buyer i answers after a latency around its own median; the medians spread log-uniformly from
 * `minMs` (buyer 1) to `maxMs` (buyer N), and each answer is jittered ×0.75–1.25 around it (clamped
 * to [minMs, maxMs]). Each buyer remembers, per ping_id, how long it chose to wait, so the bench can
 * tell the exchange's own time from the time the buyers made it wait.
 *
 * Parent side: `startPingBuyers()`; child side: this file run with `fork()` (it answers over IPC).
 */
import { ChildProcess, fork } from 'child_process';
import type { MockBuyer } from '../../libs/testing/src/mock-buyer-server';

export interface PingBuyerProfile {
  url: string;
  pingUrl: string;
  postUrl: string;
  /** Median answer latency of this buyer, ms. */
  medianMs: number;
}

export interface PingBuyersOptions {
  count: number;
  minMs: number;
  maxMs: number;
  /** Share of pings answered with no bid (0..1). */
  noBidRate: number;
}

/** Per ping, what the buyers chose: the longest buyer delay (capped at `capMs`) and how many buyers saw the ping. */
export interface BuyerSideReport {
  /** ping_id → [max over buyers of min(delay, capMs), buyers that received it] */
  pings: Record<string, [number, number]>;
  /** Per buyer: pings received and TCP connections accepted since the last reset. */
  buyers: { pings: number; connections: number }[];
}

type ParentMessage = { cmd: 'report'; capMs: number } | { cmd: 'reset' } | { cmd: 'stop' };
type ChildMessage =
  | { type: 'ready'; buyers: PingBuyerProfile[] }
  | { type: 'report'; report: BuyerSideReport }
  | { type: 'reset-done' }
  | { type: 'error'; message: string };

/** Median latency of buyer `i` of `n`: log-uniform from minMs to maxMs. */
export function medianLatencyMs(i: number, n: number, minMs: number, maxMs: number): number {
  if (n <= 1) return minMs;
  return Math.round(minMs * Math.pow(maxMs / minMs, i / (n - 1)));
}

export class PingBuyers {
  private constructor(
    private readonly child: ChildProcess,
    readonly buyers: PingBuyerProfile[],
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** Forks the built `dist/tools/bench/ping-buyers.js` and waits until every server listens. */
  static async start(opts: PingBuyersOptions): Promise<PingBuyers> {
    const child = fork(__filename, [JSON.stringify(opts)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, PING_BUYERS_CHILD: '1' } });
    const buyers = await new Promise<PingBuyerProfile[]>((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'ready') resolve(m.buyers);
        else if (m.type === 'error') reject(new Error(`mock buyers: ${m.message}`));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`mock buyers exited with code ${code} before they listened`)));
    });
    return new PingBuyers(child, buyers);
  }

  private ask<T extends ChildMessage['type']>(msg: ParentMessage, answer: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== answer) return;
        this.child.off('message', onMessage);
        resolve(m as Extract<ChildMessage, { type: T }>);
      };
      this.child.on('message', onMessage);
      this.child.send(msg, (err) => err && reject(err));
    });
  }

  /** Forgets what the buyers recorded (after the warm-up). */
  async reset(): Promise<void> {
    await this.ask({ cmd: 'reset' }, 'reset-done');
  }

  /** What the buyers recorded since the last reset; each delay is capped at `capMs` (the campaigns' timeout). */
  async report(capMs: number): Promise<BuyerSideReport> {
    return (await this.ask({ cmd: 'report', capMs }, 'report')).report;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ cmd: 'stop' } satisfies ParentMessage);
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

/** The child: N mock buyers in this process. */
async function childMain(): Promise<void> {
  // Loaded here only: the parent (the bench) never needs the server code.
  const { startMockBuyer, uniformBid } = require('../../libs/testing/src/mock-buyer-server') as typeof import('../../libs/testing/src/mock-buyer-server');
  const opts = JSON.parse(process.argv[2]) as PingBuyersOptions;
  const send = (m: ChildMessage) => process.send!(m);
  // ping_id → per buyer delay (ms); every buyer writes its own slot
  let delays = new Map<string, Float64Array>();
  const servers: MockBuyer[] = [];
  const connectionsAtReset: number[] = [];
  const pingsSeen: number[] = [];
  const profiles: PingBuyerProfile[] = [];
  for (let i = 0; i < opts.count; i++) {
    const median = medianLatencyMs(i, opts.count, opts.minMs, opts.maxMs);
    const price = uniformBid('5.00', '25.00');
    const self: { server?: MockBuyer } = {};
    const latency = () => {
      const ms = Math.min(opts.maxMs, Math.max(opts.minMs, median * (0.75 + Math.random() * 0.5)));
      // startMockBuyer records the request, then asks for its latency: the last ping is this one
      const pings = self.server?.pings ?? [];
      const ping = pings[pings.length - 1];
      const pingId = (ping?.json as { ping_id?: string } | undefined)?.ping_id;
      if (pingId) {
        let row = delays.get(pingId);
        if (!row) delays.set(pingId, (row = new Float64Array(opts.count).fill(-1)));
        row[i] = ms;
      }
      pingsSeen[i]++;
      return ms;
    };
    const server = await startMockBuyer({ latencyMs: latency, bid: () => (Math.random() < opts.noBidRate ? null : price()), acceptRate: 1 });
    self.server = server;
    servers.push(server);
    connectionsAtReset.push(0);
    pingsSeen.push(0);
    profiles.push({ url: server.url, pingUrl: server.pingUrl, postUrl: server.postUrl, medianMs: median });
  }
  // the mock keeps every request it received; the bench needs only the delays above
  const trim = setInterval(() => servers.forEach((s) => s.reset()), 1000);

  process.on('message', async (m: ParentMessage) => {
    if (m.cmd === 'reset') {
      delays = new Map();
      servers.forEach((s, i) => {
        connectionsAtReset[i] = s.connections;
        pingsSeen[i] = 0;
      });
      send({ type: 'reset-done' });
    } else if (m.cmd === 'report') {
      const pings: BuyerSideReport['pings'] = {};
      for (const [pingId, row] of delays) {
        let max = 0;
        let n = 0;
        for (const d of row) {
          if (d < 0) continue;
          n++;
          max = Math.max(max, Math.min(d, m.capMs));
        }
        pings[pingId] = [Math.round(max * 10) / 10, n];
      }
      send({ type: 'report', report: { pings, buyers: servers.map((s, i) => ({ pings: pingsSeen[i], connections: s.connections - connectionsAtReset[i] })) } });
    } else if (m.cmd === 'stop') {
      clearInterval(trim);
      await Promise.all(servers.map((s) => s.close()));
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', buyers: profiles });
}

if (require.main === module && process.env.PING_BUYERS_CHILD === '1') {
  childMain().catch((e) => {
    process.send?.({ type: 'error', message: (e as Error).message } satisfies ChildMessage);
    process.exit(1);
  });
}
