import { DomainException } from '@leadex/contracts';
import { decodeReturnCursor, encodeReturnCursor } from './return-cursor.util';

describe('return cursors', () => {
  it('round-trips a position', () => {
    const c = { requestedAt: '2026-11-22T10:00:00.123456Z', id: '0b3f5c1e-2a4d-4c8e-9f10-1234567890ab' };
    expect(decodeReturnCursor(encodeReturnCursor(c))).toEqual(c);
  });

  it.each(['', 'garbage', Buffer.from('2026-11-22|x').toString('base64url'), Buffer.from('a|b|c').toString('base64url')])(
    'refuses %p as a validation error on `after`',
    (bad) => {
      expect(() => decodeReturnCursor(bad)).toThrow(DomainException);
      try {
        decodeReturnCursor(bad);
      } catch (e) {
        expect((e as DomainException).errors).toEqual([{ field: 'after', message: 'is not a cursor from this connection' }]);
      }
    },
  );
});
