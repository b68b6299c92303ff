import { buildPingBody, compileBuyerTemplate, parsePingAnswer, serializeBody } from './buyer-wire-format';

const ping = { pingId: 'p-1', vertical: 'auto-insurance', fields: { zip: '33101', age: 34, credit_rating: 'good' } };

describe('a buyer with its own XML format, integrated by template', () => {
  const template = compileBuyerTemplate({
    pingRequest: `"<lead><ref>" & ping_id & "</ref><postal>" & fields.zip & "</postal></lead>"`,
    pingBid: `$contains(text, "<status>ok</status>") ? $match(text, /<amount>([^<]*)<\\/amount>/).groups[0] : null`,
    pingBidId: `$match(text, /<token>([^<]*)<\\/token>/).groups[0]`,
    headers: { 'Content-Type': 'application/xml', 'X-Api-Key': 'k-123' },
  });

  it('gets the ping as the XML it expects, sent as is', async () => {
    const body = await buildPingBody(template, ping);
    expect(serializeBody(body)).toBe('<lead><ref>p-1</ref><postal>33101</postal></lead>');
    expect(template.headers).toEqual({ 'content-type': 'application/xml', 'x-api-key': 'k-123' });
  });

  it('bids in XML', async () => {
    const xml = '<?xml version="1.0"?><reply><status>ok</status><amount>14.75</amount><token>t-9</token></reply>';
    const a = await parsePingAnswer(template, 200, xml);
    expect(a.kind).toBe('bid');
    if (a.kind === 'bid') {
      expect(a.price.toFixed(2)).toBe('14.75');
      expect(a.bidId).toBe('t-9');
    }
  });

  it('passes in XML', async () => {
    expect(await parsePingAnswer(template, 200, '<reply><status>pass</status></reply>')).toEqual({ kind: 'no_bid' });
  });

  it('a bid the template cannot find is malformed, not a price', async () => {
    const a = await parsePingAnswer(template, 200, '<reply><status>ok</status></reply>');
    expect(a.kind).toBe('malformed');
  });
});

describe('a buyer with its own JSON names, integrated by template', () => {
  const template = compileBuyerTemplate({
    pingRequest: `{"lead_ref": ping_id, "zip": fields.zip, "score": fields.credit_rating, "price_floor": "1.00"}`,
    pingBid: `result.offer.amount`,
    pingBidId: `result.offer.id`,
  });

  it('maps our fields onto theirs', async () => {
    expect(await buildPingBody(template, ping)).toEqual({ lead_ref: 'p-1', zip: '33101', score: 'good', price_floor: '1.00' });
  });

  it('reads the bid and id from where they put them', async () => {
    const a = await parsePingAnswer(template, 200, JSON.stringify({ result: { offer: { amount: 7.5, id: 42 } } }));
    expect(a).toMatchObject({ kind: 'bid', bidId: '42' });
    if (a.kind === 'bid') expect(a.price.toFixed(2)).toBe('7.50');
    expect(await parsePingAnswer(template, 200, JSON.stringify({ result: { offer: { amount: null } } }))).toEqual({ kind: 'no_bid' });
  });

  it('a bad amount is malformed and says which expression found it', async () => {
    const a = await parsePingAnswer(template, 200, JSON.stringify({ result: { offer: { amount: '7.505' } } }));
    expect(a).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^template\.pingBid: .*2 decimal places/) });
  });
});
