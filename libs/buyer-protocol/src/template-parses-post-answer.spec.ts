import { buildPostBody, compileBuyerTemplate, parsePostAnswer } from './buyer-wire-format';

describe('a buyer that answers posts in its own format', () => {
  const template = compileBuyerTemplate({
    postRequest: `{"ref": ping_id, "offer": bid_id, "amount": price, "contact": {"name": fields.first_name}}`,
    postAccepted: `status = "ACCEPTED" ? true : status = "DECLINED" ? false : null`,
    postReason: `errors[0].message`,
  });

  it('gets the lead in its shape', async () => {
    const body = await buildPostBody(template, {
      pingId: 'p-1', bidId: 'b-1', leadId: 'l-1', vertical: 'solar', price: '20.00', fields: { first_name: 'Ana' }, consent: null,
    });
    expect(body).toEqual({ ref: 'p-1', offer: 'b-1', amount: '20.00', contact: { name: 'Ana' } });
  });

  it('accepts, declines with a reason, or answers something the template cannot read', async () => {
    expect(await parsePostAnswer(template, 200, '{"status":"ACCEPTED"}')).toEqual({ kind: 'accepted' });
    expect(await parsePostAnswer(template, 201, '{"status":"DECLINED","errors":[{"message":"out of area"}]}')).toEqual({
      kind: 'rejected',
      reason: 'out of area',
    });
    expect(await parsePostAnswer(template, 200, '{"status":"DECLINED"}')).toEqual({ kind: 'rejected', reason: null });
    expect((await parsePostAnswer(template, 200, '{"status":"MAYBE"}')).kind).toBe('malformed');
  });

  it('reads plain-text answers through `text`', async () => {
    const plain = compileBuyerTemplate({ postAccepted: `$trim(text) = "OK"`, postReason: `$trim(text)` });
    expect(await parsePostAnswer(plain, 200, 'OK\n')).toEqual({ kind: 'accepted' });
    expect(await parsePostAnswer(plain, 200, 'DUPLICATE')).toEqual({ kind: 'rejected', reason: 'DUPLICATE' });
  });
});
