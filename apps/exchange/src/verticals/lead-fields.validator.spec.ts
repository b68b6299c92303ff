import { LeadFieldsValidator } from './lead-fields.validator';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['first_name', 'email', 'phone', 'zip', 'state', 'age'],
  properties: {
    first_name: { type: 'string', minLength: 1, 'x-pii': true },
    email: { type: 'string', format: 'email', 'x-pii': true },
    phone: { type: 'string', format: 'phone-us', 'x-pii': true },
    zip: { type: 'string', pattern: '^[0-9]{5}$' },
    state: { type: 'string', format: 'us-state' },
    age: { type: 'integer', minimum: 16, maximum: 100 },
  },
};
const v = new LeadFieldsValidator('auto-insurance', schema);
const good = { first_name: ' Ana ', email: 'Ana@Example.com', phone: '(305) 555-0123', zip: '33101', state: 'fl', age: 34 };

describe('lead field validation', () => {
  it.each(['3055550123', '(305) 555-0123', '+13055550123'])('stores the phone %s as E.164', (phone) => {
    const r = v.validate({ ...good, phone });
    expect(r.ok && r.value.fields.phone).toBe('+13055550123');
  });

  it('normalizes email, state and strings, and gives the duplicate keys', () => {
    const r = v.validate(good);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.fields).toEqual({ first_name: 'Ana', email: 'ana@example.com', phone: '+13055550123', zip: '33101', state: 'FL', age: 34 });
    expect(r.value.phoneKey).toBe('+13055550123');
    expect(r.value.emailKey).toBe('ana@example.com');
  });

  it('lists every bad field by its path', () => {
    const r = v.validate({ email: 'not-an-email', phone: '123', zip: '3310', state: 'XX', age: 12, shoe_size: 9 });
    expect(r.ok).toBe(false);
    const byField = Object.fromEntries((r as any).errors.map((e: any) => [e.field, e.message]));
    expect(Object.keys(byField).sort()).toEqual(
      ['fields.age', 'fields.email', 'fields.first_name', 'fields.phone', 'fields.shoe_size', 'fields.state', 'fields.zip'].sort(),
    );
    expect(byField['fields.first_name']).toBe('is required');
    expect(byField['fields.zip']).toBe('must be five digits');
    expect(byField['fields.shoe_size']).toBe('is not a field of vertical auto-insurance');
  });

  it('drops personal fields from a ping and does not require them', () => {
    const r = v.validateNonPii(good);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.fields).toEqual({ zip: '33101', state: 'FL', age: 34 });
    expect(r.value.phoneKey).toBeNull();
  });
});
