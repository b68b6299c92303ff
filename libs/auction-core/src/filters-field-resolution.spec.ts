import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';

describe('filters resolve supplier_id, source.* and lead fields', () => {
  it('supplier_id reads the lead supplier', () => {
    const f = compileFilters([{ field: 'supplier_id', op: 'IN', value: ['sup-a', 'sup-b'] }]);
    expect(f(lead({}, { supplierId: 'sup-b' }))).toBe(true);
    expect(f(lead({}, { supplierId: 'sup-c' }))).toBe(false);
  });

  it('source.<key> reads the lead source, and a missing source is a missing field', () => {
    const f = compileFilters([{ field: 'source.sub_id', op: 'EQ', value: 'aff-7' }]);
    expect(f(lead({ sub_id: 'aff-7' }, { source: { sub_id: 'AFF-7' } }))).toBe(true);
    expect(f(lead({ sub_id: 'aff-7' }, { source: { sub_id: 'aff-8' } }))).toBe(false);
    expect(f(lead({ sub_id: 'aff-7' }, { source: null }))).toBe(false);
    expect(compileFilters([{ field: 'source.sub_id', op: 'NOT_EXISTS' }])(lead({}, { source: undefined }))).toBe(true);
  });

  it('fields.<key> and a bare key both read lead.fields', () => {
    const prefixed = compileFilters([{ field: 'fields.state', op: 'EQ', value: 'FL' }]);
    const bare = compileFilters([{ field: 'state', op: 'EQ', value: 'FL' }]);
    expect(prefixed(lead({ state: 'FL' }))).toBe(true);
    expect(bare(lead({ state: 'FL' }))).toBe(true);
    expect(prefixed(lead({ state: 'GA' }))).toBe(false);
    expect(bare(lead({}, { source: { state: 'FL' } }))).toBe(false);
  });

  it('never reads Object.prototype members as lead fields', () => {
    expect(compileFilters([{ field: 'constructor', op: 'EXISTS' }])(lead({}))).toBe(false);
    expect(compileFilters([{ field: 'source.toString', op: 'EXISTS' }])(lead({}, { source: {} }))).toBe(false);
    expect(compileFilters([{ field: 'constructor', op: 'EQ', value: 'x' }])(lead({ constructor: 'X' }))).toBe(true);
  });
});
