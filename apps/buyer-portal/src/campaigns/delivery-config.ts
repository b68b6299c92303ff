import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Allow, IsEnum, IsOptional, IsString } from 'class-validator';
import { validateBuyerTemplate } from '@leadex/buyer-protocol';
import { FieldError } from '@leadex/contracts';
import { StoredDelivery } from '@leadex/persistence';
import { isEmailAddress } from '../common/email.util';
import { JSONScalar } from '../common/json.scalar';

export enum DeliveryMethod {
  NONE = 'NONE',
  WEBHOOK = 'WEBHOOK',
  EMAIL = 'EMAIL',
}
registerEnumType(DeliveryMethod, {
  name: 'DeliveryMethod',
  description: 'NONE: the buyer takes leads from the portal/API; WEBHOOK: POST to the CRM; EMAIL: to sales reps.',
});

@InputType()
export class DeliveryInput {
  @Field(() => DeliveryMethod)
  @IsEnum(DeliveryMethod)
  method: DeliveryMethod;

  @Field(() => String, { nullable: true, description: 'WEBHOOK: the URL each sold lead is POSTed to (header Idempotency-Key: <delivery id>).' })
  @IsOptional()
  @IsString()
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'EMAIL: one address or several, comma-separated (at most 10).' })
  @IsOptional()
  @IsString()
  email?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'WEBHOOK: extra headers, e.g. {"Authorization": "Bearer ..."}.' })
  @IsOptional()
  @Allow()
  headers?: Record<string, unknown> | null;

  @Field(() => JSONScalar, { nullable: true, description: 'WEBHOOK: {postRequest?, headers?} — a JSONata mapping of the default body, as in the buyer wire template. Omit for the default JSON (the buyer post of the contract).' })
  @IsOptional()
  @Allow()
  template?: Record<string, unknown> | null;
}

@ObjectType('DeliveryConfig')
export class DeliveryConfigModel {
  @Field(() => DeliveryMethod) method: DeliveryMethod;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => JSONScalar, { nullable: true }) headers: Record<string, string> | null;
  @Field(() => JSONScalar, { nullable: true }) template: Record<string, unknown> | null;
}

export const NO_DELIVERY: StoredDelivery = { method: 'NONE' };
const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const RESERVED_HEADERS = new Set(['idempotency-key', 'content-length', 'host', 'x-leadex-event']);

export function toStoredDelivery(input: DeliveryInput | null | undefined): StoredDelivery {
  if (!input) return NO_DELIVERY;
  const stored: StoredDelivery = { method: input.method };
  if (input.url != null) stored.url = input.url.trim();
  if (input.email != null) stored.email = input.email.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean).join(', ');
  if (input.headers != null) stored.headers = input.headers as Record<string, string>;
  if (input.template != null) stored.template = input.template;
  return stored;
}

export function toDeliveryModel(d: StoredDelivery | null | undefined): DeliveryConfigModel {
  const c = d ?? NO_DELIVERY;
  return { method: c.method as DeliveryMethod, url: c.url ?? null, email: c.email ?? null, headers: c.headers ?? null, template: c.template ?? null };
}

/** Every problem of a delivery config, named under `input.delivery`. The webhook URL's SSRF check is the service's. */
export function deliveryProblems(d: StoredDelivery): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field: `input.delivery.${field}`, message });
  if (d.method === 'WEBHOOK' && !d.url) add('url', 'is required for WEBHOOK delivery');
  if (d.method !== 'WEBHOOK') {
    for (const key of ['url', 'headers', 'template'] as const) if (d[key] !== undefined) add(key, `applies to WEBHOOK delivery only, not ${d.method}`);
  }
  if (d.method === 'EMAIL') {
    const emails = d.email ? d.email.split(', ') : [];
    if (!emails.length) add('email', 'is required for EMAIL delivery');
    else if (emails.length > 10) add('email', 'at most 10 addresses');
    else emails.forEach((e) => isEmailAddress(e) || add('email', `"${e}" is not an email address`));
  } else if (d.email !== undefined) add('email', `applies to EMAIL delivery only, not ${d.method}`);
  if (d.url !== undefined && d.url.length > 2048) add('url', 'must be at most 2048 characters');
  if (d.headers !== undefined) {
    if (typeof d.headers !== 'object' || d.headers === null || Array.isArray(d.headers)) add('headers', 'must be an object of header names to string values');
    else {
      for (const [name, value] of Object.entries(d.headers)) {
        if (!HEADER_NAME_RE.test(name)) add(`headers.${name}`, 'is not a valid header name');
        else if (RESERVED_HEADERS.has(name.toLowerCase())) add(`headers.${name}`, 'is set by the exchange');
        else if (typeof value !== 'string' || /[\r\n]/.test(value) || value.length > 4096) add(`headers.${name}`, 'must be a one-line string of at most 4096 characters');
      }
    }
  }
  if (d.template !== undefined) {
    for (const m of validateBuyerTemplate(d.template)) {
      const i = m.indexOf(': ');
      const path = i > 0 ? m.slice(0, i) : 'template';
      errors.push({ field: `input.delivery.${path}`, message: i > 0 ? m.slice(i + 2) : m });
    }
  }
  return errors;
}
