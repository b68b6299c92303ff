/**
 * When a failed delivery is tried again: exponential backoff with "equal jitter" (half the delay
 * fixed, half random), so retries of many deliveries to one recovering CRM spread out instead of
 * arriving together. Retries go on until the retry window (from the sale, or from a redeliver)
 * ends, the last one at its very end; after that the delivery is failed.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  windowMs: number;
}

export type AfterFailure = { kind: 'retry'; at: Date } | { kind: 'fail' };

/** The wait after the `attempts`-th failed attempt (1-based), before jitter is bounded by maxMs. */
export function retryDelayMs(attempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(full / 2 + random() * (full / 2));
}

export function afterFailure(
  attempts: number,
  windowStartedAt: Date,
  now: Date,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AfterFailure {
  const windowEnd = windowStartedAt.getTime() + policy.windowMs;
  if (now.getTime() >= windowEnd) return { kind: 'fail' };
  const at = Math.min(now.getTime() + retryDelayMs(attempts, policy, random), windowEnd);
  return { kind: 'retry', at: new Date(at) };
}
