import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { complexityLimitRule, depthLimitRule } from './query-limits.util';

const schema = buildSchema(`
  type Query { me: User!, users(first: Int): [User!]! }
  type User { id: ID!, name: String!, friends(first: Int): [User!]!, best: User }
`);

const errorsOf = (query: string, rules: ReturnType<typeof depthLimitRule>[]) => validate(schema, parse(query), rules).map((e) => e.message);

describe('depthLimitRule', () => {
  it('counts nested field levels, fragments included, ignoring introspection', () => {
    expect(errorsOf(`{ me { id } }`, [depthLimitRule(2)])).toEqual([]);
    expect(errorsOf(`{ me { best { id } } }`, [depthLimitRule(2)])).toEqual(['Query depth 3 exceeds the maximum of 2']);
    expect(errorsOf(`{ me { ...F } } fragment F on User { best { best { id } } }`, [depthLimitRule(3)])).toEqual(['Query depth 4 exceeds the maximum of 3']);
    expect(errorsOf(`{ me { ... on User { best { id } } } }`, [depthLimitRule(3)])).toEqual([]);
    expect(errorsOf(`{ __schema { types { fields { type { ofType { name } } } } } }`, [depthLimitRule(2)])).toEqual([]);
  });

  it('survives a fragment cycle (graphql reports the cycle itself)', () => {
    const errors = validate(schema, parse(`{ me { ...A } } fragment A on User { best { ...A } }`), [...specifiedRules, depthLimitRule(5)]);
    expect(errors.some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
  });
});

describe('complexityLimitRule', () => {
  const rule = (max: number, variables: Record<string, unknown> = {}) =>
    complexityLimitRule({ maxComplexity: max, variables, defaultPageSize: 20, maxPageSize: 100 });

  it('costs 1 per field and multiplies a page by its size', () => {
    expect(errorsOf(`{ me { id name } }`, [rule(3)])).toEqual([]);
    expect(errorsOf(`{ me { id name } }`, [rule(2)])).toEqual(['Query complexity 3 exceeds the maximum of 2']);
    // 1 + 10 × (id + friends(1 + 5 × 1)) = 1 + 10 × 7 = 71
    expect(errorsOf(`{ users(first: 10) { id friends(first: 5) { id } } }`, [rule(70)])).toEqual(['Query complexity 71 exceeds the maximum of 70']);
  });

  it('reads page sizes from variables, uses the default page when none is given and never counts past the maximum page', () => {
    expect(errorsOf(`query($n: Int) { users(first: $n) { id } }`, [rule(1, { n: 7 })])).toEqual(['Query complexity 8 exceeds the maximum of 1']);
    expect(errorsOf(`{ users { id } }`, [rule(1)])).toEqual(['Query complexity 21 exceeds the maximum of 1']);
    expect(errorsOf(`{ users(first: 100000) { id } }`, [rule(1)])).toEqual(['Query complexity 101 exceeds the maximum of 1']);
  });

  it('counts fragments where they are spread', () => {
    expect(errorsOf(`{ users(first: 3) { ...U } } fragment U on User { id name }`, [rule(1)])).toEqual(['Query complexity 7 exceeds the maximum of 1']);
  });
});
