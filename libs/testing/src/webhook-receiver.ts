import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export interface ReceivedWebhook {
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
  /** The status this receiver answered. */
  status: number;
}

export interface WebhookReceiverOptions {
  /** Answer 500 to the first N requests (a CRM that is down, then back). */
  failFirst?: number;
  /** Answer this status to every request (after failFirst); default 200. */
  status?: number;
  /** Wait this long before answering, ms. */
  delayMs?: number;
  /** The body of a 2xx answer (default `{"ok":true}`), e.g. a CRM's whole HTML page. */
  answerBody?: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Idempotency-Keys seen, each once: what a buyer's CRM that drops repeats would keep. */
  uniqueKeys(): Set<string>;
  configure(options: WebhookReceiverOptions): void;
  /** Resolves when `n` requests have come in (answered or not). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A buyer's CRM (or a supplier's postback endpoint) for tests: a real HTTP server that records every
 * request, can fail the first N, answer a given status, or take its time.
 */
export async function startWebhookReceiver(initial: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  let options = { ...initial };
  let failuresLeft = options.failFirst ?? 0;
  const received: ReceivedWebhook[] = [];
  let arrivals = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals++;
      for (const w of waiters.filter((w) => arrivals >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const status = failuresLeft > 0 ? (failuresLeft--, 500) : (options.status ?? 200);
      const answer = () => {
        let json: any = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        received.push({ at: Date.now(), headers: req.headers, body, json, status });
        const text = status >= 200 && status < 300 ? (options.answerBody ?? '{"ok":true}') : '{"error":"crm unavailable"}';
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/leads`,
    received,
    uniqueKeys: () => new Set(received.filter((r) => r.status >= 200 && r.status < 300).map((r) => String(r.headers['idempotency-key']))),
    configure(next) {
      options = { ...options, ...next };
      if (next.failFirst !== undefined) failuresLeft = next.failFirst;
    },
    waitFor(n, timeoutMs = 30_000) {
      if (arrivals >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`webhook receiver: ${arrivals} of ${n} requests within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
