import { FilterRule, validateCaps, validateFilterRules, validateSchedule } from '@leadex/auction-core';
import { validateBuyerTemplate } from '@leadex/buyer-protocol';
import { CampaignStatus, FieldError } from '@leadex/contracts';
import { CampaignEntity, StoredCap, StoredDelivery, StoredFilterRule, StoredSchedule } from '@leadex/persistence';
import { isUuid } from '../common/uuid.util';
import { PurchaseMode } from './campaign.enums';
import { deliveryProblems, NO_DELIVERY, toStoredDelivery } from './delivery-config';
import { CampaignInput, CampaignUpdateInput, CapInput, FilterRuleInput, ScheduleInput } from './campaign.input';

/** A campaign as it would be stored, before it is checked: built from a create input or stored row + update. */
export interface CampaignDraft {
  buyerId: string | null;
  name: string | null;
  vertical: string | null;
  /** Canonical money string ("12.50") or null. */
  bid: string | null;
  status: CampaignStatus;
  priority: number;
  pingUrl: string | null;
  postUrl: string | null;
  timeoutMs: number | null;
  filters: StoredFilterRule[];
  caps: StoredCap[];
  schedule: StoredSchedule | null;
  excludedSupplierIds: string[];
  /** The buyer's wire template as given (checked with the exchange's own validateBuyerTemplate), or null. */
  template: Record<string, unknown> | null;
  purchaseMode: PurchaseMode;
  weight: number;
  delivery: StoredDelivery;
}

/** What the database knows that the rules need. */
export interface CampaignDraftContext {
  /** The draft's vertical, or null when there is no such vertical. */
  vertical: { active: boolean; schema: Record<string, any> } | null;
  buyerExists: boolean;
  /** Those of the draft's excludedSupplierIds that name existing suppliers. */
  knownSupplierIds: ReadonlySet<string>;
}

export const NAME_MAX = 200;
export const TIMEOUT_MS_MIN = 10;
export const TIMEOUT_MS_MAX = 10_000;
export const WEIGHT_MAX = 1000;
export const URL_MAX = 2048;

function toStoredFilters(filters: FilterRuleInput[] | null | undefined): StoredFilterRule[] {
  return (filters ?? []).map((f) => (f.value === undefined || f.value === null ? { field: f.field, op: f.op } : { field: f.field, op: f.op, value: f.value }));
}

function toStoredCaps(caps: CapInput[] | null | undefined): StoredCap[] {
  return (caps ?? []).map((c) => ({ period: c.period, maxLeads: c.maxLeads ?? null, maxSpend: c.maxSpend ?? null }));
}

function toStoredSchedule(s: ScheduleInput | null | undefined): StoredSchedule | null {
  if (!s) return null;
  return { timezone: s.timezone, windows: (s.windows ?? []).map((w) => ({ days: [...w.days], start: w.start, end: w.end })) };
}

const trimmed = (s: string | null | undefined) => (typeof s === 'string' ? s.trim() : null);

export function draftFromInput(input: CampaignInput, buyerId: string | null): CampaignDraft {
  return {
    buyerId,
    name: trimmed(input.name),
    vertical: input.vertical ?? null,
    bid: input.bid ?? null,
    status: input.status ?? CampaignStatus.ACTIVE,
    priority: input.priority ?? 0,
    pingUrl: input.pingUrl ?? null,
    postUrl: input.postUrl ?? null,
    timeoutMs: input.timeoutMs ?? null,
    filters: toStoredFilters(input.filters),
    caps: toStoredCaps(input.caps),
    schedule: toStoredSchedule(input.schedule),
    excludedSupplierIds: [...new Set(input.excludedSupplierIds ?? [])],
    template: input.template ?? null,
    purchaseMode: input.purchaseMode ?? PurchaseMode.EXCLUSIVE,
    weight: input.weight ?? 1,
    delivery: toStoredDelivery(input.delivery),
  };
}

export function draftFromEntity(c: CampaignEntity): CampaignDraft {
  return {
    buyerId: c.buyerId,
    name: c.name,
    vertical: c.vertical,
    bid: c.bid ? c.bid.toFixed(2) : null,
    status: c.status,
    priority: c.priority,
    pingUrl: c.pingUrl,
    postUrl: c.postUrl,
    timeoutMs: c.timeoutMs,
    filters: c.filters ?? [],
    caps: c.caps ?? [],
    schedule: c.schedule,
    excludedSupplierIds: c.excludedSupplierIds ?? [],
    template: c.template ?? null,
    purchaseMode: (c.purchaseMode ?? PurchaseMode.EXCLUSIVE) as PurchaseMode,
    weight: c.weight ?? 1,
    delivery: c.delivery ?? NO_DELIVERY,
  };
}

/** The stored campaign with the given update fields laid over it (see CampaignUpdateInput for null). */
export function mergeDraft(base: CampaignDraft, patch: CampaignUpdateInput): CampaignDraft {
  const has = <K extends keyof CampaignUpdateInput>(k: K) => patch[k] !== undefined;
  return {
    buyerId: base.buyerId,
    name: has('name') ? trimmed(patch.name) : base.name,
    vertical: has('vertical') ? (patch.vertical ?? null) : base.vertical,
    bid: has('bid') ? (patch.bid ?? null) : base.bid,
    status: patch.status ?? base.status,
    priority: patch.priority ?? base.priority,
    pingUrl: has('pingUrl') ? (patch.pingUrl ?? null) : base.pingUrl,
    postUrl: has('postUrl') ? (patch.postUrl ?? null) : base.postUrl,
    timeoutMs: has('timeoutMs') ? (patch.timeoutMs ?? null) : base.timeoutMs,
    filters: has('filters') ? toStoredFilters(patch.filters) : base.filters,
    caps: has('caps') ? toStoredCaps(patch.caps) : base.caps,
    schedule: has('schedule') ? toStoredSchedule(patch.schedule) : base.schedule,
    excludedSupplierIds: has('excludedSupplierIds') ? [...new Set(patch.excludedSupplierIds ?? [])] : base.excludedSupplierIds,
    template: has('template') ? (patch.template ?? null) : base.template,
    purchaseMode: patch.purchaseMode ?? base.purchaseMode,
    weight: patch.weight ?? base.weight,
    delivery: has('delivery') ? toStoredDelivery(patch.delivery) : base.delivery,
  };
}

/** auction-core names paths from the list down (`filters[2].value: ...`); the client sent them under `input`. */
function fromCoreMessages(messages: string[], root: string): FieldError[] {
  return messages.map((m) => {
    const i = m.indexOf(': ');
    const path = i > 0 ? m.slice(0, i) : root;
    return { field: `input.${path}`, message: i > 0 ? m.slice(i + 2) : m };
  });
}

/**
 * validateBuyerTemplate names problems `template.pingBid: ...`; under `input` that is `input.template.pingBid`.
 * The path ends at the first ': ' (header names, the only free-form part of a path, cannot contain one).
 */
function fromTemplateMessages(messages: string[]): FieldError[] {
  return messages.map((m) => {
    const i = m.indexOf(': ');
    return i > 0 ? { field: `input.${m.slice(0, i)}`, message: m.slice(i + 2) } : { field: 'input.template', message: m };
  });
}

/**
 * Every problem with a draft, each named by its input path (`input.filters[1].value`); empty = valid.
 * The URLs' reachability (the exchange's SSRF guard, which may need DNS) is checked by the service.
 */
export function campaignDraftProblems(d: CampaignDraft, ctx: CampaignDraftContext): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field: `input.${field}`, message });

  if (!d.buyerId) add('buyerId', 'is required when an ADMIN creates a campaign');
  else if (!ctx.buyerExists) add('buyerId', `no buyer with id ${d.buyerId}`);

  if (d.name === null || d.name.length < 1 || d.name.length > NAME_MAX) add('name', `must be 1–${NAME_MAX} characters`);

  if (!d.vertical) add('vertical', 'is required');
  else if (!ctx.vertical) add('vertical', `unknown vertical "${d.vertical}"`);
  else if (!ctx.vertical.active) add('vertical', `vertical "${d.vertical}" is not active`);

  if (d.bid === null && d.pingUrl === null) add('bid', 'is required unless pingUrl is given (a fixed price per lead, e.g. "12.50")');
  if (d.pingUrl !== null && d.pingUrl.length > URL_MAX) add('pingUrl', `must be at most ${URL_MAX} characters`);
  if (d.postUrl !== null && d.postUrl.length > URL_MAX) add('postUrl', `must be at most ${URL_MAX} characters`);
  if (d.timeoutMs !== null && !(Number.isInteger(d.timeoutMs) && d.timeoutMs >= TIMEOUT_MS_MIN && d.timeoutMs <= TIMEOUT_MS_MAX)) {
    add('timeoutMs', `must be a whole number of milliseconds from ${TIMEOUT_MS_MIN} to ${TIMEOUT_MS_MAX}`);
  }
  if (!(Number.isInteger(d.weight) && d.weight >= 0 && d.weight <= WEIGHT_MAX)) add('weight', `must be a whole number from 0 to ${WEIGHT_MAX}`);
  if (d.template !== null) errors.push(...fromTemplateMessages(validateBuyerTemplate(d.template)));
  errors.push(...deliveryProblems(d.delivery));

  const properties = ctx.vertical?.schema?.properties;
  const knownFields = properties && typeof properties === 'object' ? new Set(Object.keys(properties)) : undefined;
  errors.push(...fromCoreMessages(validateFilterRules(d.filters as FilterRule[], knownFields), 'filters'));
  errors.push(...fromCoreMessages(validateCaps(d.caps), 'caps'));
  if (d.schedule !== null) errors.push(...fromCoreMessages(validateSchedule(d.schedule), 'schedule'));

  d.excludedSupplierIds.forEach((id, i) => {
    if (!isUuid(id)) add(`excludedSupplierIds[${i}]`, `${JSON.stringify(id)} is not a supplier id`);
    else if (!ctx.knownSupplierIds.has(id)) add(`excludedSupplierIds[${i}]`, `no supplier with id ${id}`);
  });
  return errors;
}
