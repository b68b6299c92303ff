import { compileBuyerTemplate, TemplateError, validateBuyerTemplate } from './buyer-wire-format';

describe('a buyer template that cannot be used', () => {
  it('is refused at compile time with the bad key named', () => {
    let error: unknown;
    try {
      compileBuyerTemplate({ pingBid: 'result.(' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toMatch(/^template\.pingBid: /);
  });

  it('lists every problem for the portal', () => {
    const problems = validateBuyerTemplate({
      pingRequest: '{"a": }',
      postAccepted: 42,
      pingBidld: 'typo',
      headers: { Host: 'evil.example', 'Bad Name': 'x', 'X-Key': 'line\r\nbreak', 'X-Ok': 'fine' },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^template\.pingRequest: /),
        expect.stringMatching(/^template\.postAccepted: must be a non-empty JSONata expression string/),
        expect.stringMatching(/^template\.pingBidld: unknown key/),
        expect.stringMatching(/^template\.headers\.Host: set by the exchange/),
        expect.stringMatching(/^template\.headers\.Bad Name: not a valid header name/),
        expect.stringMatching(/^template\.headers\.X-Key: not a valid header value/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('is not an object at all', () => {
    expect(validateBuyerTemplate('pingBid')).toEqual(['template: must be an object']);
    expect(validateBuyerTemplate(null)).toEqual(['template: must be an object']);
  });

  it('a good template has no problems', () => {
    expect(validateBuyerTemplate({ pingBid: 'price', postAccepted: 'ok = true', headers: { Authorization: 'Bearer x' } })).toEqual([]);
    expect(validateBuyerTemplate({})).toEqual([]);
  });
});
