import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';

/**
 * A buyer CRM for the delivery bench: plain node http, answers 200 at once and counts. Unlike
 * libs/testing's webhook receiver it keeps no bodies or headers, only per Idempotency-Key how often it
 * came, and when the first copy of each lead arrived (epoch ms with sub-ms precision, on the bench
 * process's clock, so it compares with the time the bench saw the lead sold).
 */
export class WebhookSink {
  private server: Server | null = null;
  /** Idempotency-Key → how many requests carried it. */
  readonly byKey = new Map<string, number>();
  /** lead_id (from the body) → when its first delivery arrived, epoch ms. */
  readonly firstByLead = new Map<string, number>();
  /** lead_id → the Idempotency-Key it came with (a second, different key for a lead would be a double delivery). */
  readonly keyByLead = new Map<string, string>();
  requests = 0;
  /** Requests without a key, or whose body had no lead_id. */
  malformed = 0;
  /** The same lead under two different keys. */
  leadsUnderTwoKeys = 0;
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/leads`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.timeOrigin + performance.now();
      this.requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
      res.end('{"ok":true}');
      const key = req.headers['idempotency-key'];
      let leadId: unknown;
      try {
        leadId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { lead_id?: unknown }).lead_id;
      } catch {
        leadId = undefined;
      }
      if (typeof key !== 'string' || typeof leadId !== 'string') {
        this.malformed++;
        return;
      }
      this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
      const seenKey = this.keyByLead.get(leadId);
      if (seenKey === undefined) {
        this.keyByLead.set(leadId, key);
        this.firstByLead.set(leadId, at);
      } else if (seenKey !== key) {
        this.leadsUnderTwoKeys++;
      }
    });
  }

  /** Keys that came more than once (a redelivery the buyer would have to drop). */
  repeatedKeys(): number {
    let n = 0;
    for (const c of this.byKey.values()) if (c > 1) n++;
    return n;
  }

  reset(): void {
    this.byKey.clear();
    this.firstByLead.clear();
    this.keyByLead.clear();
    this.requests = 0;
    this.malformed = 0;
    this.leadsUnderTwoKeys = 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
