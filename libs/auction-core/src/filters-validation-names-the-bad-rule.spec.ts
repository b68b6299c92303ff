import { compileFilters, FilterCompileError, validateFilterRules } from './filters.util';
import { FilterRule } from './types';

const bad = (rule: unknown) => validateFilterRules([rule as FilterRule]);

describe('filter validation names the rule and the problem', () => {
  it('accepts well-formed rules of every operator', () => {
    expect(
      validateFilterRules([
        { field: 'state', op: 'EQ', value: 'FL' },
        { field: 'state', op: 'NEQ', value: 'GA' },
        { field: 'state', op: 'IN', value: ['FL', 'GA'] },
        { field: 'credit', op: 'NOT_IN', value: ['poor'] },
        { field: 'age', op: 'GT', value: 18 },
        { field: 'zip', op: 'GTE', value: '33000' },
        { field: 'age', op: 'LT', value: 80 },
        { field: 'age', op: 'LTE', value: '80' },
        { field: 'age', op: 'BETWEEN', value: [25, 25] },
        { field: 'email', op: 'EXISTS' },
        { field: 'phone2', op: 'NOT_EXISTS' },
        { field: 'vehicle', op: 'CONTAINS', value: 'honda' },
        { field: 'zip', op: 'STARTS_WITH', value: ['331', '332'] },
      ]),
    ).toEqual([]);
  });

  it.each([
    [{ field: 'age', op: 'BETWEEN', value: [1] }, 'filters[0].value: BETWEEN takes [low, high]'],
    [{ field: 'age', op: 'BETWEEN', value: 5 }, 'filters[0].value: BETWEEN takes [low, high]'],
    [{ field: 'age', op: 'BETWEEN', value: [65, 25] }, 'filters[0].value: BETWEEN low 65 is above high 25'],
    [{ field: 'age', op: 'LIKE', value: 'x' }, 'filters[0].op: unknown operator "LIKE"'],
    [{ field: 'state', op: 'IN', value: [] }, 'filters[0].value: IN takes a non-empty array'],
    [{ field: 'state', op: 'NOT_IN', value: 'FL' }, 'filters[0].value: NOT_IN takes a non-empty array'],
    [{ field: 'state', op: 'IN', value: ['FL', { a: 1 }] }, 'filters[0].value: IN values must be strings, numbers or booleans'],
    [{ field: 'age', op: 'GT', value: 'old' }, 'filters[0].value: GT takes a number or numeric string'],
    [{ field: 'age', op: 'LTE' }, 'filters[0].value: LTE takes a number or numeric string'],
    [{ field: 'name', op: 'CONTAINS', value: 3 }, 'filters[0].value: CONTAINS takes a non-empty string'],
    [{ field: 'zip', op: 'STARTS_WITH', value: ['331', 3] }, 'filters[0].value: STARTS_WITH takes a non-empty string or a non-empty array of non-empty strings'],
    [{ field: 'email', op: 'EXISTS', value: true }, 'filters[0].value: EXISTS takes no value'],
    [{ field: 'state', op: 'EQ', value: ['FL'] }, 'filters[0].value: EQ takes a string, number or boolean'],
    [{ field: 'state', op: 'NEQ' }, 'filters[0].value: NEQ takes a string, number or boolean'],
    [{ field: '', op: 'EXISTS' }, 'filters[0].field: must be a non-empty string'],
    ['state=FL', 'filters[0]: must be an object with field, op and value'],
  ])('%j → %s', (rule, message) => {
    expect(bad(rule)).toEqual([message]);
  });

  it('counts the index and reports every problem', () => {
    const errors = validateFilterRules([
      { field: 'state', op: 'EQ', value: 'FL' },
      { field: 'state', op: 'IN', value: [] },
      { field: 'age', op: 'BETWEEN', value: [1, 2, 3] },
    ]);
    expect(errors).toEqual(['filters[1].value: IN takes a non-empty array', 'filters[2].value: BETWEEN takes [low, high]']);
  });

  it('checks fields against the known ones, always allowing supplier_id and source.*', () => {
    const known = new Set(['state', 'zip']);
    expect(
      validateFilterRules(
        [
          { field: 'foo', op: 'EXISTS' },
          { field: 'fields.state', op: 'EQ', value: 'FL' },
          { field: 'fields.bar', op: 'EXISTS' },
          { field: 'supplier_id', op: 'EQ', value: 's1' },
          { field: 'source.sub_id', op: 'EXISTS' },
          { field: 'zip', op: 'STARTS_WITH', value: '3' },
        ],
        known,
      ),
    ).toEqual(['filters[0].field: unknown field "foo"', 'filters[2].field: unknown field "bar"']);
  });

  it('compileFilters refuses invalid rules with the same messages', () => {
    try {
      compileFilters([{ field: 'age', op: 'BETWEEN', value: [65, 25] }]);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(FilterCompileError);
      expect((e as FilterCompileError).errors).toEqual(['filters[0].value: BETWEEN low 65 is above high 25']);
    }
  });
});
