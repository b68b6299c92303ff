import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { LeadexConfig } from '@leadex/config';
import { BuyerUrlGuard, BuyerUrlRefusedError, serializeBody } from '@leadex/buyer-protocol';

/** What came of one call to a buyer endpoint. Only `ok` carries an answer; its status may still be an error. */
export type BuyerCallResult =
  | { outcome: 'ok'; status: number; body: string; latencyMs: number }
  | { outcome: 'timeout' | 'error' | 'refused'; reason: string; latencyMs: number };

export interface BuyerCallOptions {
  /** This call's own deadline, in ms (a campaign's timeoutMs). */
  timeoutMs: number;
  /** Extra headers (a template's); names are case-insensitive. */
  headers?: Record<string, string>;
  /** Epoch ms by which the whole auction must answer; the call is cut there even if timeoutMs runs longer. */
  deadline?: number;
  /**
   * Keep only the first this many characters of the answer and never fail on its size (a delivery
   * needs the status and a snippet, not a CRM's whole page). Without it an answer over
   * BUYER_RESPONSE_MAX_BYTES is an error.
   */
  keepFirst?: number;
}

const USER_AGENT = 'Leadex/1';
/** Idle keep-alive below Node's default server keepAliveTimeout (5 s), so we rarely race a server's close. */
const KEEP_ALIVE_MS = 4000;
/** Backstops only: every call carries its own abort deadline, far shorter. */
const SOCKET_BACKSTOP_MS = 120_000;
const SHUTDOWN_GRACE_MS = 2000;
/** How long a call may run on, unread, after the caller stopped waiting (see post). */
const LATE_ANSWER_GRACE_MS = 2500;

class ResponseTooLargeError extends Error {}

/**
 * Calls buyer ping and post endpoints: one keep-alive pool per buyer origin (undici Agent, bounded
 * connections), each call under one abort deadline that covers connecting, waiting for headers and
 * reading the body, and a cap on the answer's size. It never throws: slow, hanging, failing and
 * refused buyers come back as outcomes for the auction to count as no bid and record.
 */
@Injectable()
export class BuyerHttpClient implements OnApplicationShutdown {
  private readonly log = new Logger(BuyerHttpClient.name);
  private readonly agent: Agent;
  private readonly maxBytes: number;
  /** Calls in flight per buyer origin, and how many may run on past their caller's deadline. */
  private readonly inFlight = new Map<string, number>();
  private readonly lateCallLimit: number;

  constructor(
    config: LeadexConfig,
    private readonly guard: BuyerUrlGuard,
  ) {
    this.maxBytes = config.BUYER_RESPONSE_MAX_BYTES;
    this.lateCallLimit = Math.max(1, Math.floor(config.BUYER_POOL_CONNECTIONS * 0.75));
    this.agent = new Agent({
      connections: config.BUYER_POOL_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: SOCKET_BACKSTOP_MS,
      bodyTimeout: SOCKET_BACKSTOP_MS,
      // The connect-time lookup is the SSRF check that DNS rebinding cannot dodge: the socket goes
      // to the very address that was checked.
      connect: guard.allowsPrivateTargets ? { timeout: SOCKET_BACKSTOP_MS } : { timeout: SOCKET_BACKSTOP_MS, lookup: guard.connectLookup },
    });
  }

  /** POSTs `body` (JSON, or a string as is) to `url`. Never throws. */
  async post(url: string, body: unknown, opts: BuyerCallOptions): Promise<BuyerCallResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = this.guard.checkSyntax(url);
    } catch (e) {
      return { outcome: 'refused', reason: (e as Error).message, latencyMs: 0 };
    }
    const untilDeadline = opts.deadline === undefined ? Infinity : opts.deadline - Date.now();
    const budget = Math.floor(Math.min(opts.timeoutMs, untilDeadline));
    const cutByDeadline = untilDeadline < opts.timeoutMs;
    if (!(budget > 0)) return { outcome: 'timeout', reason: 'auction deadline already passed', latencyMs: 0 };

    let payload: string;
    try {
      payload = serializeBody(body);
    } catch (e) {
      return { outcome: 'error', reason: `body: ${errorReason(e)}`, latencyMs: 0 };
    }

    // At the deadline the auction stops waiting, but the call may run on for LATE_ANSWER_GRACE_MS so a
    // late buyer's answer is read and its keep-alive connection reused; aborting would cost a new TCP
    // connection per late answer. Past the grace (a hung or trickling buyer) the call is cut, and so it
    // is at once when this buyer's calls already fill most of its pool: queued calls nobody waits for
    // must not hold up the next auctions' pings.
    const origin = target.origin;
    this.inFlight.set(origin, (this.inFlight.get(origin) ?? 0) + 1);
    const controller = new AbortController();
    const backstop = setTimeout(() => controller.abort(new Error('buyer too late')), budget + LATE_ANSWER_GRACE_MS);
    const call: Promise<BuyerCallResult> = this.agent
      .request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: requestHeaders(opts.headers),
        body: payload,
        signal: controller.signal,
      })
      .then(async (res) => {
        const text = opts.keepFirst === undefined ? await this.readCapped(res.body, res.headers['content-length']) : await readHead(res.body, opts.keepFirst);
        return { outcome: 'ok' as const, status: res.statusCode, body: text, latencyMs: latencyMs() };
      })
      .catch((e) => {
        const refusal = refusalOf(e);
        if (refusal) return { outcome: 'refused' as const, reason: refusal.message, latencyMs: latencyMs() };
        if (e instanceof ResponseTooLargeError) return { outcome: 'error' as const, reason: 'response too large', latencyMs: latencyMs() };
        return { outcome: 'error' as const, reason: errorReason(e), latencyMs: latencyMs() };
      })
      .finally(() => {
        clearTimeout(backstop);
        const left = (this.inFlight.get(origin) ?? 1) - 1;
        if (left > 0) this.inFlight.set(origin, left);
        else this.inFlight.delete(origin);
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<BuyerCallResult>((resolve) => {
      timer = setTimeout(() => {
        if ((this.inFlight.get(origin) ?? 0) >= this.lateCallLimit) controller.abort(new Error('buyer deadline'));
        resolve({ outcome: 'timeout', reason: `no answer within ${budget} ms${cutByDeadline ? ' (auction deadline)' : ''}`, latencyMs: latencyMs() });
      }, budget);
    });
    try {
      return await Promise.race([call, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads the answer up to the cap; the abort signal cuts a trickling body at the deadline. */
  private async readCapped(stream: AsyncIterable<Buffer> & { destroy(err?: Error): void }, contentLength: string | string[] | undefined): Promise<string> {
    if (typeof contentLength === 'string' && Number(contentLength) > this.maxBytes) {
      stream.destroy();
      throw new ResponseTooLargeError();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > this.maxBytes) {
        stream.destroy();
        throw new ResponseTooLargeError();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async onApplicationShutdown(): Promise<void> {
    // Let in-flight posts finish (each has its own short deadline), then cut whatever is left.
    let grace: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.agent.close().then(() => true),
      new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS))),
    ]).catch(() => false);
    clearTimeout(grace);
    if (!closed) await this.agent.destroy().catch((e: Error) => this.log.warn(`buyer pool shutdown: ${e.message}`));
  }
}

/** The first `chars` characters of an answer; the rest is not read (the connection is then closed). */
async function readHead(stream: AsyncIterable<Buffer> & { destroy(err?: Error): void }, chars: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= chars * 4) {
      stream.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size).toString('utf8').slice(0, chars);
}

function requestHeaders(extra: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (extra) for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  headers['user-agent'] = USER_AGENT;
  return headers;
}

/** The refusal behind an error, however deep the connector wrapped it. */
function refusalOf(e: unknown): BuyerUrlRefusedError | null {
  for (let cur = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof BuyerUrlRefusedError) return cur;
  }
  return null;
}

function errorReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  const message = e.message || e.name;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
