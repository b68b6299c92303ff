import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A buyer's ping and post endpoints on a real node:http server, for tests and `npm run demo`:
 * configurable latency, bid distribution, accept rate and failure modes; it records every request
 * (so a test can prove no PII was pinged) and counts TCP connections (so a test can see keep-alive).
 */

export type MockBuyerMode =
  /** Answers per the options. */
  | 'normal'
  /** Reads the request and never answers. */
  | 'hang'
  /** Answers 200 with a body that is not JSON (nor valid XML). */
  | 'malformed'
  /** Answers 500. */
  | 'error500'
  /** Sends 200 and the start of a body, then stalls forever. */
  | 'headers-then-stall';

export interface MockBuyerOptions {
  /** Delay before answering: fixed, uniform in [min, max], or sampled per request. Default 0. */
  latencyMs?: number | [number, number] | (() => number);
  /** Each ping's bid: a money string, null = no bid, or sampled per ping. Default uniform "5.00".."25.00". */
  bid?: string | null | (() => string | null);
  /** Share of posts accepted, 0..1. Default 1. */
  acceptRate?: number;
  mode?: MockBuyerMode;
  /** The contract's JSON, or an XML flavour for template tests (see MOCK_BUYER_XML_TEMPLATE). Default 'default'. */
  format?: 'default' | 'xml';
  /** Where to listen; default 127.0.0.1 on a free port. Fixed at start. */
  host?: string;
  port?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body. */
  body: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Which TCP connection (1-based) carried it. */
  connection: number;
  receivedAt: number;
}

export interface MockBuyer {
  /** Base URL, e.g. http://127.0.0.1:43125 */
  url: string;
  pingUrl: string;
  postUrl: string;
  pings: ReceivedRequest[];
  posts: ReceivedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Bids answered so far, by bid_id, with their price. */
  bids: Map<string, string>;
  setOptions(partial: Partial<Omit<MockBuyerOptions, 'host' | 'port'>>): void;
  /** Forgets recorded requests and bids (not the connection count). */
  reset(): void;
  close(): Promise<void>;
}

/** How to read the XML flavour: a campaign template for the exchange's buyer wire format. */
export const MOCK_BUYER_XML_TEMPLATE = {
  pingRequest: `"<ping><id>" & ping_id & "</id><vertical>" & vertical & "</vertical><zip>" & fields.zip & "</zip></ping>"`,
  pingBid: `$contains(text, "<result>bid</result>") ? $match(text, /<price>([^<]*)<\\/price>/).groups[0] : null`,
  pingBidId: `$match(text, /<bid_id>([^<]*)<\\/bid_id>/).groups[0]`,
  postAccepted: `$contains(text, "<accepted>true</accepted>") ? true : $contains(text, "<accepted>false</accepted>") ? false : null`,
  postReason: `$match(text, /<reason>([^<]*)<\\/reason>/).groups[0]`,
  headers: { 'Content-Type': 'application/xml' },
};

/** A uniform random price in [min, max], to the cent. */
export function uniformBid(min = '5.00', max = '25.00', random: () => number = Math.random): () => string {
  const lo = Math.round(Number(min) * 100);
  const hi = Math.round(Number(max) * 100);
  return () => {
    const cents = lo + Math.floor(random() * (hi - lo + 1));
    return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  };
}

function sampleLatency(latency: MockBuyerOptions['latencyMs']): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  if (typeof latency === 'function') return latency();
  return latency[0] + Math.random() * (latency[1] - latency[0]);
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMockBuyer(initial: MockBuyerOptions = {}): Promise<MockBuyer> {
  let options: MockBuyerOptions = { acceptRate: 1, mode: 'normal', format: 'default', ...initial };
  const defaultBid = uniformBid();
  const pings: ReceivedRequest[] = [];
  const posts: ReceivedRequest[] = [];
  const bids = new Map<string, string>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const socketIds = new WeakMap<Socket, number>();
  let connections = 0;
  let bidCounter = 0;

  const answer = (res: ServerResponse, status: number, body: string) => {
    const type = options.format === 'xml' ? 'application/xml' : 'application/json';
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const pingAnswer = (): string => {
    const bid = options.bid === undefined ? defaultBid() : typeof options.bid === 'function' ? options.bid() : options.bid;
    const noBid = bid === null || Number(bid) === 0;
    const bidId = noBid ? null : `bid-${++bidCounter}`;
    if (bidId && bid !== null) bids.set(bidId, bid);
    if (options.format === 'xml') {
      return noBid
        ? '<?xml version="1.0"?><response><result>no_bid</result></response>'
        : `<?xml version="1.0"?><response><result>bid</result><price>${escapeXml(String(bid))}</price><bid_id>${bidId}</bid_id></response>`;
    }
    return JSON.stringify(noBid ? { bid: null } : { bid, bid_id: bidId });
  };

  const postAnswer = (): string => {
    const accepted = Math.random() < (options.acceptRate ?? 1);
    if (options.format === 'xml') {
      return accepted
        ? '<?xml version="1.0"?><response><accepted>true</accepted></response>'
        : '<?xml version="1.0"?><response><accepted>false</accepted><reason>not accepted by mock buyer</reason></response>';
    }
    return JSON.stringify(accepted ? { accepted: true } : { accepted: false, reason: 'not accepted by mock buyer' });
  };

  const respond = (res: ServerResponse, kind: 'ping' | 'post') => {
    switch (options.mode) {
      case 'hang':
        return; // the socket stays open until the client gives up or close()
      case 'headers-then-stall':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(options.format === 'xml' ? '<response><result>' : '{"bid":');
        return;
      case 'error500':
        return answer(res, 500, options.format === 'xml' ? '<error>boom</error>' : '{"error":"boom"}');
      case 'malformed':
        return answer(res, 200, '{"bid": "9.25", <oops');
      default:
        return answer(res, 200, kind === 'ping' ? pingAnswer() : postAnswer());
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const kind = path === '/ping' ? 'ping' : path === '/post' ? 'post' : null;
      if (req.method !== 'POST' || !kind) return answer(res, 404, options.format === 'xml' ? '<error>not found</error>' : '{"error":"not found"}');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = {
        method: req.method,
        path,
        headers: req.headers,
        body,
        json,
        connection: socketIds.get(req.socket) ?? 0,
        receivedAt: Date.now(),
      };
      (kind === 'ping' ? pings : posts).push(received);
      const delay = Math.max(0, sampleLatency(options.latencyMs));
      if (delay === 0) return respond(res, kind);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) respond(res, kind);
      }, delay);
      timers.add(timer);
    });
  });
  server.on('connection', (socket: Socket) => {
    socketIds.set(socket, ++connections);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(initial.port ?? 0, initial.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;

  return {
    url,
    pingUrl: `${url}/ping`,
    postUrl: `${url}/post`,
    pings,
    posts,
    bids,
    get connections() {
      return connections;
    },
    setOptions(partial) {
      options = { ...options, ...partial };
    },
    reset() {
      pings.length = 0;
      posts.length = 0;
      bids.clear();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
