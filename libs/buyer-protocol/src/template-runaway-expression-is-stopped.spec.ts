import { compileBuyerTemplate, parsePingAnswer } from './buyer-wire-format';

/** Templates are buyer-written and run on the auction's hot path: a runaway one must fail fast, as malformed. */
describe('a template expression that would run away', () => {
  it('endless recursion is cut and the answer is malformed', async () => {
    const t = compileBuyerTemplate({ pingBid: '($f := function($n) { $f($n + 1) }; $f(0))' });
    const a = await parsePingAnswer(t, 200, '{}');
    expect(a).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^template\.pingBid: expression took more than \d+ evaluation steps/) });
  });

  it('a long but finite loop is cut by its steps, not by the clock', async () => {
    const t = compileBuyerTemplate({ pingBid: '($f := function($n) { $n > 0 ? $f($n - 1) : "1.00" }; $f(1000000))' });
    expect(await parsePingAnswer(t, 200, '{}')).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/evaluation steps/) });
  });

  it('a sound template is not cut when it shares a busy event loop', async () => {
    const t = compileBuyerTemplate({ pingBid: 'offers[0].amount', pingBidId: 'offers[0].id' });
    const body = JSON.stringify({ offers: [{ amount: '4.00', id: 'o-1' }] });
    // Other work of the process, interleaved with the evaluations between their steps (as other
    // pings' continuations are): each turn hogs the loop for 5 ms.
    let hogging = true;
    const hog = (async () => {
      while (hogging) {
        await null;
        const until = Date.now() + 5;
        while (Date.now() < until);
      }
    })();
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => parsePingAnswer(t, 200, body)));
      expect(answers.every((a) => a.kind === 'bid')).toBe(true);
    } finally {
      hogging = false;
      await hog;
    }
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
