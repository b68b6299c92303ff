import Decimal from 'decimal.js';
import { buildPostBody, parsePostAnswer } from './buyer-wire-format';

const post = {
  pingId: 'p-1',
  bidId: 'b-9',
  leadId: 'l-1',
  vertical: 'auto-insurance',
  price: '9.5',
  fields: { first_name: 'Ana', zip: '33101' },
  consent: { tcpa: true },
};

describe('posting a sold lead to a buyer in the contract default format', () => {
  it('sends every field, the consent and the price with two places', async () => {
    expect(await buildPostBody(null, post)).toEqual({
      ping_id: 'p-1',
      bid_id: 'b-9',
      lead_id: 'l-1',
      vertical: 'auto-insurance',
      price: '9.50',
      fields: { first_name: 'Ana', zip: '33101' },
      consent: { tcpa: true },
    });
    expect(await buildPostBody(null, { ...post, price: new Decimal('12'), bidId: null })).toMatchObject({ price: '12.00', bid_id: null });
  });

  it('reads acceptance', async () => {
    expect(await parsePostAnswer(null, 200, '{"accepted":true}')).toEqual({ kind: 'accepted' });
  });

  it('reads a refusal with its reason, or without one', async () => {
    expect(await parsePostAnswer(null, 200, '{"accepted":false,"reason":"duplicate"}')).toEqual({ kind: 'rejected', reason: 'duplicate' });
    expect(await parsePostAnswer(null, 200, '{"accepted":false}')).toEqual({ kind: 'rejected', reason: null });
  });

  it('anything else is malformed', async () => {
    for (const [status, body] of [
      [500, '{"accepted":true}'],
      [200, 'OK'],
      [200, '{"accepted":"yes"}'],
      [200, '{}'],
      [200, '[true]'],
      [200, 'true'],
    ] as const) {
      expect((await parsePostAnswer(null, status, body)).kind).toBe('malformed');
    }
  });
});
