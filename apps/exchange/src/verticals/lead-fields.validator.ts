import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { FieldError } from '@leadex/contracts';

/** USPS codes: states, DC, territories and military post offices. */
const USPS_CODES = new Set(
  ('AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY ' +
    'DC PR VI GU AS MP AA AE AP').split(' '),
);

// Validation checks a phone, then normalization needs its E.164 form: remember the last one parsed.
let lastPhone: { input: string; e164: string | null } = { input: '', e164: null };

function toUsE164(value: string): string | null {
  if (lastPhone.input === value) return lastPhone.e164;
  const phone = parsePhoneNumberFromString(value, 'US');
  const e164 = phone && phone.isValid() && (phone.country === 'US' || phone.countryCallingCode === '1') ? phone.number : null;
  lastPhone = { input: value, e164 };
  return e164;
}

/** One Ajv for all verticals: Leadex's formats are registered once, each schema compiled once. */
function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
  addFormats(ajv, ['email', 'date', 'date-time', 'uri']);
  ajv.addFormat('phone-us', { type: 'string', validate: (v: string) => toUsE164(v) !== null });
  ajv.addFormat('us-state', { type: 'string', validate: (v: string) => USPS_CODES.has(v.toUpperCase()) });
  ajv.addKeyword({ keyword: 'x-pii', schemaType: 'boolean' });
  return ajv;
}
const ajv = createAjv();

const FORMAT_MESSAGES: Record<string, string> = {
  'phone-us': 'must be a valid US phone number, e.g. 3055550123, (305) 555-0123 or +13055550123',
  'us-state': 'must be a two-letter USPS state code, e.g. FL',
  email: 'must be a valid email address',
  date: 'must be a date, YYYY-MM-DD',
};

export interface ValidatedFields {
  fields: Record<string, unknown>;
  /** Normalized phone (E.164) and email, the keys duplicates are found by. */
  phoneKey: string | null;
  emailKey: string | null;
}

/**
 * A vertical's field rules, compiled once: full-lead validation (posts), non-PII validation
 * (pings, where personal fields are dropped), and normalization (E.164 phones, lower-case emails,
 * upper-case states, trimmed strings).
 */
export class LeadFieldsValidator {
  readonly piiFields: ReadonlySet<string>;
  readonly fieldNames: ReadonlySet<string>;
  private readonly full: ValidateFunction;
  private readonly withoutPii: ValidateFunction;
  private readonly formats = new Map<string, string>();

  constructor(readonly vertical: string, schema: Record<string, any>) {
    const properties: Record<string, any> = schema.properties ?? {};
    this.fieldNames = new Set(Object.keys(properties));
    this.piiFields = new Set(Object.keys(properties).filter((k) => properties[k]?.['x-pii'] === true));
    for (const [name, prop] of Object.entries(properties)) if (prop?.format) this.formats.set(name, prop.format);
    this.full = ajv.compile(schema);
    const nonPiiProperties = Object.fromEntries(Object.entries(properties).filter(([k]) => !this.piiFields.has(k)));
    this.withoutPii = ajv.compile({
      ...schema,
      properties: nonPiiProperties,
      required: (schema.required ?? []).filter((k: string) => !this.piiFields.has(k)),
    });
  }

  /** Validates a full lead; returns normalized fields or every field error. */
  validate(input: unknown): { ok: true; value: ValidatedFields } | { ok: false; errors: FieldError[] } {
    return this.run(this.full, input, false);
  }

  /** Validates a ping: personal fields are dropped first (never stored, never forwarded). */
  validateNonPii(input: unknown): { ok: true; value: ValidatedFields } | { ok: false; errors: FieldError[] } {
    return this.run(this.withoutPii, input, true);
  }

  private run(validate: ValidateFunction, input: unknown, dropPii: boolean) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { ok: false as const, errors: [{ field: 'fields', message: 'must be an object of lead fields' }] };
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      if (dropPii && this.piiFields.has(k)) continue;
      fields[k] = typeof v === 'string' ? v.trim() : v;
    }
    if (!validate(fields)) {
      return { ok: false as const, errors: this.describe(validate.errors ?? []) };
    }
    return { ok: true as const, value: this.normalize(fields) };
  }

  private normalize(fields: Record<string, unknown>): ValidatedFields {
    let phoneKey: string | null = null;
    let emailKey: string | null = null;
    for (const [name, format] of this.formats) {
      const v = fields[name];
      if (typeof v !== 'string') continue;
      if (format === 'phone-us') {
        fields[name] = toUsE164(v);
        phoneKey ??= fields[name] as string;
      } else if (format === 'email') {
        fields[name] = v.toLowerCase();
        emailKey ??= fields[name] as string;
      } else if (format === 'us-state') {
        fields[name] = v.toUpperCase();
      }
    }
    return { fields, phoneKey, emailKey };
  }

  private describe(errors: ErrorObject[]): FieldError[] {
    const out = new Map<string, string>();
    for (const e of errors) {
      let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      let message = e.message ?? 'is invalid';
      if (e.keyword === 'required') {
        field = String((e.params as any).missingProperty);
        message = 'is required';
      } else if (e.keyword === 'additionalProperties') {
        field = String((e.params as any).additionalProperty);
        message = `is not a field of vertical ${this.vertical}`;
      } else if (e.keyword === 'format') {
        message = FORMAT_MESSAGES[(e.params as any).format] ?? message;
      } else if (e.keyword === 'enum') {
        message = `must be one of ${(e.params as any).allowedValues.join(', ')}`;
      } else if (e.keyword === 'pattern' && field === 'zip') {
        message = 'must be five digits';
      }
      const path = field ? `fields.${field}` : 'fields';
      if (!out.has(path)) out.set(path, message);
    }
    return [...out].map(([field, message]) => ({ field, message }));
  }
}
