import { buildPingBody, parsePingAnswer } from './buyer-wire-format';

const answer = (body: unknown) => parsePingAnswer(null, 200, typeof body === 'string' ? body : JSON.stringify(body));

describe('a buyer answering a ping in the contract default format', () => {
  it('bids with a money string and its own bid id', async () => {
    const a = await answer({ bid: '9.25', bid_id: 'b-77' });
    expect(a.kind).toBe('bid');
    if (a.kind !== 'bid') return;
    expect(a.price.toFixed(2)).toBe('9.25');
    expect(a.bidId).toBe('b-77');
  });

  it('may leave out the bid id', async () => {
    const a = await answer({ bid: '12.00' });
    expect(a).toMatchObject({ kind: 'bid', bidId: null });
  });

  it('may bid with a JSON number of at most two places, read exactly', async () => {
    for (const [bid, expected] of [[9.25, '9.25'], [12, '12.00'], [0.1, '0.10'], [19.99, '19.99'], [999999999999.99, '999999999999.99']] as const) {
      const a = await answer({ bid });
      expect(a.kind).toBe('bid');
      if (a.kind === 'bid') expect(a.price.toFixed(2)).toBe(expected);
    }
  });

  it('a numeric bid id is kept as text', async () => {
    const a = await answer({ bid: '5.00', bid_id: 1234 });
    expect(a).toMatchObject({ kind: 'bid', bidId: '1234' });
  });

  it('passes with null, "0.00", "0" or 0', async () => {
    for (const bid of [null, '0.00', '0', 0]) {
      expect(await answer({ bid })).toEqual({ kind: 'no_bid' });
    }
  });

  it('ignores fields it does not know', async () => {
    expect(await answer({ bid: '3.50', bid_id: 'x', note: 'hello' })).toMatchObject({ kind: 'bid', bidId: 'x' });
  });

  it('is pinged with the contract body: ping id, vertical, the fields it was given', async () => {
    const body = await buildPingBody(null, { pingId: 'p-1', vertical: 'auto-insurance', fields: { zip: '33101', age: 34 } });
    expect(body).toEqual({ ping_id: 'p-1', vertical: 'auto-insurance', fields: { zip: '33101', age: 34 } });
  });
});
