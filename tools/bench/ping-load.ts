import { performance } from 'perf_hooks';
import { Pool } from 'undici';
import { LeadGenerator } from './lead-generator';

/** auto-insurance's personal fields: a ping carries none of them. */
export const AUTO_INSURANCE_PII = new Set(['first_name', 'last_name', 'email', 'phone', 'street_address', 'date_of_birth']);

/** One ping as the client saw it. */
export interface PingSample {
  pingId: string | null;
  /** HTTP status, or 0 for a socket error / client timeout. */
  status: number;
  /** bid / no_bid, or the error code of a rejection. */
  answer: string;
  /** From writing the request to the end of the answer, ms. */
  latencyMs: number;
  /** How late the scheduler sent it compared with its slot in the fixed-rate schedule, ms. */
  sendLagMs: number;
}

export interface PingLoadResult {
  rate: number;
  durationS: number;
  sent: number;
  answered: number;
  answeredPerSec: number;
  samples: PingSample[];
  answers: Record<string, number>;
  /** One sample body per rejection kind. */
  rejections: Record<string, string>;
  startedAt: Date;
  endedAt: Date;
}

/**
 * Sends `POST /v1/ping` at a fixed rate for `durationS` (open loop: the schedule does not wait for
 * answers, so a slow exchange meets more concurrent pings, as it would from real suppliers), each a
 * new lead's non-PII fields, and records every answer with its latency and ping_id.
 */
export async function runPingLoad(opts: {
  baseUrl: string;
  apiKey: string;
  vertical: string;
  rate: number;
  durationS: number;
  leads: LeadGenerator;
  /** Client-side give-up, ms (default 10 s). */
  timeoutMs?: number;
}): Promise<PingLoadResult> {
  const pool = new Pool(opts.baseUrl, { connections: 2048, pipelining: 1, keepAliveTimeout: 30_000 });
  const samples: PingSample[] = [];
  const answers: Record<string, number> = {};
  const rejections: Record<string, string> = {};
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(opts.rate * opts.durationS);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}` };
  const startedAt = new Date();
  const t0 = performance.now();
  let sent = 0;

  const pingBody = () => {
    const lead = opts.leads.next() as { fields: Record<string, unknown> } & Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(lead.fields).filter(([k]) => !AUTO_INSURANCE_PII.has(k)));
    return JSON.stringify({ ...lead, vertical: opts.vertical, fields });
  };

  const sendOne = (slotMs: number) => {
    const body = pingBody();
    const sendAt = performance.now();
    const p = (async () => {
      const sample: PingSample = { pingId: null, status: 0, answer: 'error', latencyMs: 0, sendLagMs: sendAt - t0 - slotMs };
      try {
        const res = await pool.request({ path: '/v1/ping', method: 'POST', headers, body, headersTimeout: opts.timeoutMs ?? 10_000, bodyTimeout: opts.timeoutMs ?? 10_000 });
        const text = await res.body.text();
        sample.latencyMs = performance.now() - sendAt;
        sample.status = res.statusCode;
        if (res.statusCode === 200) {
          const json = JSON.parse(text) as { ping_id?: string; status?: string };
          sample.pingId = json.ping_id ?? null;
          sample.answer = json.status ?? 'unparsed';
        } else {
          const m = /"error":"([a-z_]+)"/.exec(text);
          sample.answer = `http_${res.statusCode}${m ? `_${m[1]}` : ''}`;
          rejections[sample.answer] ??= text.slice(0, 300);
        }
      } catch (e) {
        sample.latencyMs = performance.now() - sendAt;
        sample.answer = `error_${(e as NodeJS.ErrnoException).code ?? (e as Error).name}`;
        rejections[sample.answer] ??= (e as Error).message;
      }
      answers[sample.answer] = (answers[sample.answer] ?? 0) + 1;
      samples.push(sample);
    })();
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - t0;
      const due = Math.min(total, Math.floor((elapsed / 1000) * opts.rate) + 1);
      while (sent < due) sendOne((sent++ * 1000) / opts.rate);
      if (sent >= total) return resolve();
      // sleep until the next slot (timers are ~1 ms coarse; the lag is measured per ping)
      setTimeout(tick, Math.max(0, (sent * 1000) / opts.rate - (performance.now() - t0)));
    };
    tick();
  });
  const sendingEnded = performance.now();
  await Promise.all([...inFlight]);
  const endedAt = new Date();
  await pool.close();
  const sendingS = (sendingEnded - t0) / 1000;
  return {
    rate: opts.rate,
    durationS: Math.round(sendingS * 100) / 100,
    sent,
    answered: samples.filter((s) => s.status === 200).length,
    // answers over the sending window: what the exchange sustained at this offered rate
    answeredPerSec: Math.round((samples.filter((s) => s.status === 200).length / Math.max(0.001, sendingS)) * 10) / 10,
    samples,
    answers,
    rejections,
    startedAt,
    endedAt,
  };
}
