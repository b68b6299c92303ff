import { requestHash } from './request-hash.util';

describe('request fingerprint', () => {
  it('ignores key order', () => {
    expect(requestHash('/v1/leads', { a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestHash('/v1/leads', { b: { d: 'x', c: [1, 2] }, a: 1 }));
  });
  it('differs when a value or the endpoint differs', () => {
    const base = requestHash('/v1/leads', { a: 1 });
    expect(requestHash('/v1/leads', { a: 2 })).not.toBe(base);
    expect(requestHash('/v1/ping', { a: 1 })).not.toBe(base);
  });
});
