import autocannon from 'autocannon';
import { LeadGenerator } from './lead-generator';

/** What one autocannon step saw from the client side. */
export interface LoadStepResult {
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  /** Answers by the `status` of the 200 body (sold, unsold, duplicate), plus `http_<code>` for the rest. */
  answers: Record<string, number>;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** Which HTTP statuses (and error codes) the non-2xx answers had, with one sample body each. */
  rejections: Record<string, string>;
  startedAt: Date;
  endedAt: Date;
}

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Posts unique leads to `POST /v1/leads` for `durationS` over `connections` keep-alive connections
 * (closed loop: each connection sends its next lead when the last one is answered), split evenly
 * over the given exchange processes.
 */
export async function runLoadStep(opts: {
  baseUrls: string[];
  apiKey: string;
  connections: number;
  durationS: number;
  leads: LeadGenerator;
}): Promise<LoadStepResult> {
  const answers: Record<string, number> = {};
  const rejections: Record<string, string> = {};
  const latencies: number[] = [];
  const startedAt = new Date();
  const n = opts.baseUrls.length;
  const results = await Promise.all(
    opts.baseUrls.map((url, i) =>
      runOne(url, Math.floor(opts.connections / n) + (i < opts.connections % n ? 1 : 0), opts, answers, rejections, latencies),
    ),
  );
  const endedAt = new Date();
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const elapsedS = (endedAt.getTime() - startedAt.getTime()) / 1000;
  return {
    connections: opts.connections,
    durationS: r2(elapsedS),
    requests: latencies.length,
    requestsPerSec: r2(latencies.length / elapsedS),
    answers,
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    socketErrors: results.reduce((a, r) => a + r.errors, 0),
    timeouts: results.reduce((a, r) => a + r.timeouts, 0),
    latencyMs: {
      mean: r2(sum / Math.max(1, latencies.length)),
      p50: r2(quantile(sorted, 0.5)),
      p95: r2(quantile(sorted, 0.95)),
      p99: r2(quantile(sorted, 0.99)),
      max: r2(sorted.length ? sorted[sorted.length - 1] : 0),
    },
    rejections,
    startedAt,
    endedAt,
  };
}

async function runOne(
  url: string,
  connections: number,
  opts: { apiKey: string; durationS: number; leads: LeadGenerator },
  answers: Record<string, number>,
  rejections: Record<string, string>,
  latencies: number[],
): Promise<autocannon.Result> {
  let finish: (err: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon({
    url,
    connections,
    duration: opts.durationS,
    pipelining: 1,
    timeout: 10,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}` },
    requests: [
      {
        method: 'POST',
        path: '/v1/leads',
        setupRequest: (req) => ({ ...req, body: JSON.stringify(opts.leads.next()) }),
        onResponse: (status: number, body: string) => {
          if (status === 200) {
            const m = /"status":"([a-z]+)"/.exec(body);
            const k = m ? m[1] : 'unparsed';
            answers[k] = (answers[k] ?? 0) + 1;
          } else {
            const m = /"error":"([a-z_]+)"/.exec(body);
            const k = `http_${status}${m ? `_${m[1]}` : ''}`;
            answers[k] = (answers[k] ?? 0) + 1;
            rejections[k] ??= body.slice(0, 300);
          }
        },
      },
    ],
  }, (err, result) => finish(err, result));
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  return finished;
}
