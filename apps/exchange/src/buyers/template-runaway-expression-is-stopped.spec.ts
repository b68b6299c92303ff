import { compileBuyerTemplate, parsePingAnswer } from './buyer-wire-format';

/** Templates are buyer-written and run on the auction's hot path: a runaway one must fail fast, as malformed. */
describe('a template expression that would run away', () => {
  it('endless recursion is cut and the answer is malformed', async () => {
    const t = compileBuyerTemplate({ pingBid: '($f := function($n) { $f($n + 1) }; $f(0))' });
    const a = await parsePingAnswer(t, 200, '{}');
    expect(a).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^template\.pingBid: Evaluation timeout/) });
  });

  it('a huge range is cut', async () => {
    const t = compileBuyerTemplate({ pingBid: '$count([1..100000000])' });
    expect(await parsePingAnswer(t, 200, '{}')).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^template\.pingBid: .*(range|sequence)/) });
  });

  it('$eval is not available, so nothing runs that was not validated', async () => {
    const t = compileBuyerTemplate({ pingBid: '$eval(code)' });
    const a = await parsePingAnswer(t, 200, '{"code":"\\"1.00\\""}');
    expect(a).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/\$eval is not available/) });
  });
});
