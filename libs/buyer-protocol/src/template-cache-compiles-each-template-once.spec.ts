import { BuyerTemplateCache, TemplateError } from './buyer-wire-format';

describe('the buyer template cache', () => {
  it('compiles each distinct template once, and gives null for no template', () => {
    const cache = new BuyerTemplateCache();
    const a = cache.get({ pingBid: 'price' });
    expect(a).not.toBeNull();
    expect(cache.get({ pingBid: 'price' })).toBe(a);
    expect(cache.get({ pingBid: 'amount' })).not.toBe(a);
    expect(cache.get(null)).toBeNull();
  });

  it('remembers a template that does not compile and throws its error again', () => {
    const cache = new BuyerTemplateCache();
    let first: unknown;
    try {
      cache.get({ pingBid: '{{{' });
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(TemplateError);
    expect(() => cache.get({ pingBid: '{{{' })).toThrow(first as Error);
  });

  it('starts over past its bound', () => {
    const cache = new BuyerTemplateCache(2);
    const a = cache.get({ pingBid: 'a' });
    cache.get({ pingBid: 'b' });
    cache.get({ pingBid: 'c' });
    expect(cache.get({ pingBid: 'a' })).not.toBe(a);
  });
});
