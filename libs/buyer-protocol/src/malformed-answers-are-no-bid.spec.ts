import { parsePingAnswer } from './buyer-wire-format';

/** Every one of these is `malformed`: the auction counts it as no bid and records the reason. */
describe('a ping answer that is not a clean bid or no-bid', () => {
  const cases: [string, number, string, RegExp][] = [
    ['a server error', 500, '{"bid":"9.25"}', /^http 500$/],
    ['a redirect', 302, '', /^http 302$/],
    ['a body that is not JSON', 200, '{"bid": "9.25", <oops', /not JSON/],
    ['an empty body', 200, '', /not JSON/],
    ['a JSON array', 200, '[{"bid":"9.25"}]', /array/],
    ['a bare string', 200, '"9.25"', /string/],
    ['no bid key at all', 200, '{"price":"9.25"}', /no bid/],
    ['three decimal places', 200, '{"bid":"9.255"}', /at most 2 decimal places/],
    ['a number with three places', 200, '{"bid":9.255}', /at most 2 decimal places/],
    ['a negative bid', 200, '{"bid":"-1.00"}', /negative/],
    ['a negative number', 200, '{"bid":-3}', /negative/],
    ['an exponent', 200, '{"bid":"1e3"}', /plain decimal/],
    ['a huge number', 200, '{"bid":1e21}', /plain decimal/],
    ['thirteen integer digits', 200, '{"bid":"1234567890123.00"}', /12 integer digits/],
    ['a leading zero', 200, '{"bid":"09.25"}', /leading zeros/],
    ['words', 200, '{"bid":"nine"}', /plain decimal/],
    ['a boolean', 200, '{"bid":true}', /got boolean/],
    ['an object', 200, '{"bid":{"amount":"9.25"}}', /got object/],
    ['a bid id that is an object', 200, '{"bid":"9.25","bid_id":{"x":1}}', /bid_id/],
    ['a bid id longer than 255', 200, JSON.stringify({ bid: '9.25', bid_id: 'x'.repeat(256) }), /bid_id/],
  ];

  it.each(cases)('%s is malformed', async (_name, status, body, reason) => {
    const a = await parsePingAnswer(null, status, body);
    expect(a.kind).toBe('malformed');
    if (a.kind === 'malformed') expect(a.reason).toMatch(reason);
  });
});
