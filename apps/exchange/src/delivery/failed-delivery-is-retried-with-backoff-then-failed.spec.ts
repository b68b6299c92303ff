import fc from 'fast-check';
import { afterFailure, retryDelayMs } from './retry-policy.util';

const policy = { baseMs: 5000, maxMs: 3600_000, windowMs: 25 * 3600_000 };

describe('a failed delivery', () => {
  it('is first retried within 10 s', () => {
    for (const r of [0, 0.5, 0.999999]) {
      const d = retryDelayMs(1, policy, () => r);
      expect(d).toBeGreaterThanOrEqual(2500);
      expect(d).toBeLessThanOrEqual(5000);
    }
  });

  it('waits about twice as long after each further failure, up to the maximum', () => {
    expect(retryDelayMs(2, policy, () => 1)).toBe(10_000);
    expect(retryDelayMs(3, policy, () => 1)).toBe(20_000);
    expect(retryDelayMs(30, policy, () => 1)).toBe(3600_000);
    expect(retryDelayMs(30, policy, () => 0)).toBe(1800_000);
  });

  it('keeps being retried for the whole window, the last try at its end, then fails', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    let now = start;
    let attempts = 0;
    let last: Date = start;
    for (;;) {
      attempts++;
      const next = afterFailure(attempts, start, now, policy, () => 0.5);
      if (next.kind === 'fail') break;
      expect(next.at.getTime()).toBeGreaterThan(now.getTime());
      last = next.at;
      now = next.at;
    }
    expect(last.getTime()).toBe(start.getTime() + policy.windowMs);
    expect(now.getTime() - start.getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(60);
  });

  it('never schedules a retry past the window nor before now (any attempt, any jitter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: policy.windowMs - 1 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, elapsed, r) => {
        const start = new Date(0);
        const now = new Date(elapsed);
        const next = afterFailure(attempts, start, now, policy, () => r);
        expect(next.kind).toBe('retry');
        if (next.kind === 'retry') {
          expect(next.at.getTime()).toBeGreaterThan(now.getTime());
          expect(next.at.getTime()).toBeLessThanOrEqual(policy.windowMs);
        }
      }),
    );
  });
});
