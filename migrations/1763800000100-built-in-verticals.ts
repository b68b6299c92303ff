import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The built-in verticals. A vertical is data: a JSON Schema for `fields` where each
 * personal field carries "x-pii": true. Formats phone-us, email, us-state and date are
 * Leadex's own (see the exchange's lead validation); zip is five digits.
 */
const pii = (schema: Record<string, unknown>) => ({ ...schema, 'x-pii': true });
const name = { type: 'string', minLength: 1, maxLength: 100 };
const contact = {
  first_name: pii({ ...name, description: 'First name' }),
  last_name: pii({ ...name, description: 'Last name' }),
  email: pii({ type: 'string', format: 'email', maxLength: 254, description: 'Email address' }),
  phone: pii({ type: 'string', format: 'phone-us', description: 'US phone: 3055550123, (305) 555-0123 or +13055550123; stored E.164' }),
  street_address: pii({ type: 'string', minLength: 1, maxLength: 200, description: 'Street address' }),
};
const location = {
  zip: { type: 'string', pattern: '^[0-9]{5}$', description: 'Five-digit ZIP code' },
  state: { type: 'string', format: 'us-state', description: 'Two-letter USPS state code' },
};
const creditRating = { type: 'string', enum: ['excellent', 'good', 'fair', 'poor'], description: 'Self-reported credit' };

const verticals = [
  {
    key: 'auto-insurance',
    name: 'Auto insurance',
    description: 'Consumers shopping for car insurance quotes.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['first_name', 'last_name', 'email', 'phone', 'zip', 'state', 'age', 'credit_rating', 'homeowner', 'currently_insured'],
      properties: {
        ...contact,
        date_of_birth: pii({ type: 'string', format: 'date', description: 'Date of birth, YYYY-MM-DD' }),
        ...location,
        age: { type: 'integer', minimum: 16, maximum: 100, description: 'Age in years' },
        credit_rating: creditRating,
        homeowner: { type: 'boolean', description: 'Owns a home' },
        currently_insured: { type: 'boolean', description: 'Has auto insurance now' },
        current_insurer: { type: 'string', minLength: 1, maxLength: 100, description: 'Current insurance carrier' },
        vehicle_count: { type: 'integer', minimum: 1, maximum: 10, description: 'Vehicles to insure' },
        violations: { type: 'integer', minimum: 0, description: 'Moving violations in the last 3 years' },
      },
    },
  },
  {
    key: 'mortgage',
    name: 'Mortgage',
    description: 'Home buyers and owners looking for a purchase loan or a refinance.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['first_name', 'last_name', 'email', 'phone', 'zip', 'state', 'loan_purpose', 'property_value', 'loan_amount', 'credit_rating'],
      properties: {
        ...contact,
        ...location,
        loan_purpose: { type: 'string', enum: ['purchase', 'refinance', 'cash_out', 'heloc'], description: 'What the loan is for' },
        property_type: { type: 'string', enum: ['single_family', 'condo', 'townhouse', 'multi_family', 'manufactured'], description: 'Kind of property' },
        property_value: { type: 'integer', minimum: 10000, maximum: 100000000, description: 'Estimated property value, USD' },
        loan_amount: { type: 'integer', minimum: 1000, maximum: 100000000, description: 'Requested loan amount, USD' },
        credit_rating: creditRating,
        employment_status: { type: 'string', enum: ['employed', 'self_employed', 'retired', 'unemployed'], description: 'Employment' },
        military: { type: 'boolean', description: 'Served in the US military (VA eligible)' },
        first_time_buyer: { type: 'boolean', description: 'Buying a first home' },
      },
    },
  },
  {
    key: 'solar',
    name: 'Solar',
    description: 'Homeowners interested in rooftop solar installation.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['first_name', 'last_name', 'email', 'phone', 'zip', 'state', 'homeowner', 'monthly_electric_bill'],
      properties: {
        ...contact,
        ...location,
        homeowner: { type: 'boolean', description: 'Owns the home' },
        monthly_electric_bill: { type: 'integer', minimum: 0, maximum: 5000, description: 'Average monthly electric bill, USD' },
        utility_provider: { type: 'string', minLength: 1, maxLength: 100, description: 'Electric utility' },
        roof_shade: { type: 'string', enum: ['none', 'partial', 'full'], description: 'How shaded the roof is' },
        property_type: { type: 'string', enum: ['single_family', 'condo', 'townhouse', 'multi_family', 'manufactured'], description: 'Kind of property' },
        credit_rating: creditRating,
      },
    },
  },
];

export class BuiltInVerticals1763800000100 implements MigrationInterface {
  name = 'BuiltInVerticals1763800000100';

  async up(q: QueryRunner): Promise<void> {
    for (const v of verticals) {
      await q.query(
        `INSERT INTO verticals (key, name, description, schema) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING`,
        [v.key, v.name, v.description, JSON.stringify(v.schema)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM verticals WHERE key = ANY($1)`, [verticals.map((v) => v.key)]);
  }
}
