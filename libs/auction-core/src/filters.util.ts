import { CompiledFilter, FILTER_OPS, FilterOp, FilterRule, LeadView } from './types';

/** Rules that cannot be compiled; `errors` are the validateFilterRules messages. */
export class FilterCompileError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid filters: ${errors.join('; ')}`);
    this.name = 'FilterCompileError';
  }
}

type Accessor = (lead: LeadView) => unknown;
type Predicate = (lead: LeadView) => boolean;

const ALWAYS: CompiledFilter = () => true;
const hasOwn = Object.prototype.hasOwnProperty;
/** Decimal notation only: Number() alone would also take "0x1F", "1e3" spellings of zips, "" and " ". */
const NUMERIC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Resolves a rule's field to a getter once, so evaluation does no string work on the field name. */
function accessorFor(field: string): Accessor {
  if (field === 'supplier_id') return (lead) => lead.supplierId;
  if (field.startsWith('source.')) {
    const key = field.slice('source.'.length);
    // Keys such as "constructor" would otherwise read Object.prototype members.
    if (key in Object.prototype) {
      return (lead) => {
        const src = lead.source;
        return src != null && hasOwn.call(src, key) ? src[key] : undefined;
      };
    }
    return (lead) => {
      const src = lead.source;
      return src == null ? undefined : src[key];
    };
  }
  const key = canonicalField(field);
  if (key in Object.prototype) {
    return (lead) => (hasOwn.call(lead.fields, key) ? lead.fields[key] : undefined);
  }
  return (lead) => lead.fields[key];
}

/** The canonical name of a field, so `state` and `fields.state` share a fold slot. */
function canonicalField(field: string): string {
  return field.startsWith('fields.') ? field.slice('fields.'.length) : field;
}

/**
 * Per field, shared by every compiled rule on that field: the last lower-cased lead value and its
 * id among the values rules list for that field. 1,000 campaigns filtering on `state` lower-case
 * and look up a lead's "FL" once, not 1,000 times. A plain memo keyed by the raw string (compared
 * by value), so it is correct whatever order leads and rules come in.
 */
interface FoldSlot {
  /** null forces a recompute (after a new value is interned). */
  raw: string | null;
  folded: string;
  /** Id of `folded` in `ids`, -1 when no rule lists it. */
  id: number;
  /** Folded rule values of this field → small dense ids, for membership bitsets. */
  ids: Map<string, number>;
}
const foldSlots = new Map<string, FoldSlot>();

function foldSlotFor(field: string): FoldSlot {
  const key = canonicalField(field);
  let slot = foldSlots.get(key);
  if (slot === undefined) {
    if (foldSlots.size >= 10_000) foldSlots.clear();
    foldSlots.set(key, (slot = { raw: null, folded: '', id: -1, ids: new Map() }));
  }
  return slot;
}

function foldIn(slot: FoldSlot, v: string): string {
  if (v !== slot.raw) {
    slot.folded = v.toLowerCase();
    slot.id = slot.ids.get(slot.folded) ?? -1;
    slot.raw = v;
  }
  return slot.folded;
}

function idIn(slot: FoldSlot, v: string): number {
  if (v !== slot.raw) foldIn(slot, v);
  return slot.id;
}

function intern(slot: FoldSlot, folded: string): number {
  let id = slot.ids.get(folded);
  if (id === undefined) {
    slot.ids.set(folded, (id = slot.ids.size));
    slot.raw = null;
  }
  return id;
}

/** Case-folds strings so "fl" and "FL" meet; everything else compares strictly. */
function fold(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null;
}

/** A finite number from a number or a decimal string, else NaN. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string' && NUMERIC_RE.test(v)) return Number(v);
  return NaN;
}

/** A rule operand prepared for ordering comparisons: numeric form and folded string form. */
interface Operand {
  num: number;
  str: string | null;
}

function operand(v: unknown): Operand {
  return {
    num: toNumber(v),
    str: typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' ? String(v) : null,
  };
}

/**
 * -1/0/1 ordering of a lead value against an operand; NaN when they cannot be ordered.
 * Numeric when both sides are numeric, otherwise a case-folded string comparison.
 */
function order(v: unknown, target: Operand, slot: FoldSlot): number {
  if (typeof v === 'number') {
    if (v !== v) return NaN;
    if (target.num === target.num) return v < target.num ? -1 : v > target.num ? 1 : 0;
    return target.str === null ? NaN : compareStrings(String(v), target.str);
  }
  if (typeof v !== 'string') return NaN;
  if (target.num === target.num) {
    const n = toNumber(v);
    if (n === n) return n < target.num ? -1 : n > target.num ? 1 : 0;
  }
  return target.str === null ? NaN : compareStrings(foldIn(slot, v), target.str);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function equalityPredicate(get: Accessor, value: unknown, slot: FoldSlot): Predicate {
  if (typeof value === 'string') {
    const folded = value.toLowerCase();
    return (lead) => {
      const v = get(lead);
      return typeof v === 'string' && (v === value || foldIn(slot, v) === folded);
    };
  }
  return (lead) => get(lead) === value;
}

function membershipPredicate(get: Accessor, values: unknown[], slot: FoldSlot): Predicate {
  if (values.every((v) => typeof v === 'string')) {
    // Strings: a bitset over the field's interned ids, one word read instead of a hash probe
    // into a Set per campaign. Non-strings never equal a string rule value.
    const ids = values.map((v) => intern(slot, (v as string).toLowerCase()));
    const words = (Math.max(...ids) >> 5) + 1;
    if (words > 4 * ids.length + 8) {
      // A short list among many interned values (e.g. 5 zips of 40,000): a bitset would be sparse.
      const idSet = new Set(ids);
      return (lead) => {
        const v = get(lead);
        return typeof v === 'string' && idSet.has(idIn(slot, v));
      };
    }
    const bits = new Uint32Array(words);
    for (const id of ids) bits[id >> 5] |= 1 << (id & 31);
    return (lead) => {
      const v = get(lead);
      if (typeof v !== 'string') return false;
      const id = idIn(slot, v);
      return id >= 0 && id >> 5 < words && (bits[id >> 5] & (1 << (id & 31))) !== 0;
    };
  }
  const set = new Set(values.map(fold));
  const hasStrings = values.some((v) => typeof v === 'string');
  if (!hasStrings) return (lead) => set.has(get(lead));
  return (lead) => {
    const v = get(lead);
    return set.has(typeof v === 'string' ? foldIn(slot, v) : v);
  };
}

/** Prefix test over many prefixes: one Set probe per distinct prefix length instead of a scan. */
function prefixMatcher(prefixes: string[]): (s: string) => boolean {
  const folded = [...new Set(prefixes.map((p) => p.toLowerCase()))];
  if (folded.length <= 4) {
    return (s) => {
      for (let i = 0; i < folded.length; i++) if (s.startsWith(folded[i])) return true;
      return false;
    };
  }
  const byLength = new Map<number, Set<string>>();
  for (const p of folded) {
    let set = byLength.get(p.length);
    if (set === undefined) byLength.set(p.length, (set = new Set()));
    set.add(p);
  }
  const lengths = [...byLength.keys()].sort((a, b) => a - b);
  const sets = lengths.map((l) => byLength.get(l) as Set<string>);
  return (s) => {
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i];
      if (len > s.length) return false;
      if (sets[i].has(s.slice(0, len))) return true;
    }
    return false;
  };
}

function compileRule(rule: FilterRule): Predicate {
  const get = accessorFor(rule.field);
  const slot = foldSlotFor(rule.field);
  const value = rule.value;
  switch (rule.op) {
    case 'EQ':
      return equalityPredicate(get, value, slot);
    case 'NEQ': {
      const eq = equalityPredicate(get, value, slot);
      return (lead) => !eq(lead);
    }
    case 'IN':
      return membershipPredicate(get, value as unknown[], slot);
    case 'NOT_IN': {
      const inList = membershipPredicate(get, value as unknown[], slot);
      return (lead) => isMissing(get(lead)) || !inList(lead);
    }
    case 'GT': {
      const t = operand(value);
      return (lead) => order(get(lead), t, slot) > 0;
    }
    case 'GTE': {
      const t = operand(value);
      return (lead) => order(get(lead), t, slot) >= 0;
    }
    case 'LT': {
      const t = operand(value);
      return (lead) => order(get(lead), t, slot) < 0;
    }
    case 'LTE': {
      const t = operand(value);
      return (lead) => order(get(lead), t, slot) <= 0;
    }
    case 'BETWEEN': {
      const [low, high] = (value as unknown[]).map(operand);
      return (lead) => {
        const v = get(lead);
        return order(v, low, slot) >= 0 && order(v, high, slot) <= 0;
      };
    }
    case 'EXISTS':
      return (lead) => {
        const v = get(lead);
        return v !== undefined && v !== null && v !== '';
      };
    case 'NOT_EXISTS':
      return (lead) => {
        const v = get(lead);
        return v === undefined || v === null || v === '';
      };
    case 'CONTAINS': {
      const needle = fold(value);
      const needleStr = String(value).toLowerCase();
      return (lead) => {
        const v = get(lead);
        if (typeof v === 'string') return foldIn(slot, v).includes(needleStr);
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) if (fold(v[i]) === needle) return true;
        }
        return false;
      };
    }
    case 'STARTS_WITH': {
      const matches = prefixMatcher(Array.isArray(value) ? (value as string[]) : [value as string]);
      return (lead) => {
        const v = get(lead);
        if (typeof v === 'string') return matches(foldIn(slot, v));
        // Zips stored as numbers still match by their digits.
        if (typeof v === 'number') return matches(String(v));
        return false;
      };
    }
    default:
      throw new FilterCompileError([`unknown operator "${String(rule.op)}"`]);
  }
}

/** Cheap operators first: rules are ANDed and side-effect free, so order only changes speed. */
const OP_COST: Record<FilterOp, number> = {
  EQ: 0, NEQ: 0, EXISTS: 0, NOT_EXISTS: 0, IN: 1, NOT_IN: 1,
  GT: 2, GTE: 2, LT: 2, LTE: 2, BETWEEN: 2, CONTAINS: 3, STARTS_WITH: 3,
};

/**
 * Compiles a campaign's rules once into a closure (all rules must hold; none = match all).
 * Invalid rules throw FilterCompileError rather than silently matching or never matching.
 */
export function compileFilters(rules: FilterRule[] | null | undefined): CompiledFilter {
  if (rules === null || rules === undefined || rules.length === 0) return ALWAYS;
  const errors = validateFilterRules(rules);
  if (errors.length > 0) throw new FilterCompileError(errors);
  const ordered = rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => OP_COST[a.rule.op] - OP_COST[b.rule.op] || a.index - b.index);
  const ps = ordered.map(({ rule }) => compileRule(rule));
  // Unrolled shapes for the common small cases keep the hot path free of a loop.
  switch (ps.length) {
    case 1:
      return ps[0];
    case 2: {
      const [a, b] = ps;
      return (lead) => a(lead) && b(lead);
    }
    case 3: {
      const [a, b, c] = ps;
      return (lead) => a(lead) && b(lead) && c(lead);
    }
    default:
      return (lead) => {
        for (let i = 0; i < ps.length; i++) if (!ps[i](lead)) return false;
        return true;
      };
  }
}

const OPS: ReadonlySet<string> = new Set(FILTER_OPS);
const SCRATCH_SLOT: FoldSlot = { raw: null, folded: '', id: -1, ids: new Map() };

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isNumeric(v: unknown): boolean {
  return toNumber(v) === toNumber(v);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The problem with a rule's value for its operator, or null. */
function valueProblem(op: FilterOp, value: unknown): string | null {
  switch (op) {
    case 'EQ':
    case 'NEQ':
      return isScalar(value) ? null : `${op} takes a string, number or boolean`;
    case 'IN':
    case 'NOT_IN':
      if (!Array.isArray(value) || value.length === 0) return `${op} takes a non-empty array`;
      return value.every(isScalar) ? null : `${op} values must be strings, numbers or booleans`;
    case 'GT':
    case 'GTE':
    case 'LT':
    case 'LTE':
      return isNumeric(value) ? null : `${op} takes a number or numeric string`;
    case 'BETWEEN': {
      if (!Array.isArray(value) || value.length !== 2) return 'BETWEEN takes [low, high]';
      const [low, high] = value as unknown[];
      const bothNumeric = isNumeric(low) && isNumeric(high);
      const bothOrderable = (typeof low === 'string' || bothNumeric) && (typeof high === 'string' || bothNumeric);
      if (!bothOrderable) return 'BETWEEN takes [low, high]';
      const outOfOrder = bothNumeric ? toNumber(low) > toNumber(high) : order(low, operand(high), SCRATCH_SLOT) > 0;
      return outOfOrder ? `BETWEEN low ${show(low)} is above high ${show(high)}` : null;
    }
    case 'EXISTS':
    case 'NOT_EXISTS':
      return value === undefined || value === null ? null : `${op} takes no value`;
    case 'CONTAINS':
      return typeof value === 'string' && value !== '' ? null : 'CONTAINS takes a non-empty string';
    case 'STARTS_WITH': {
      const ok = (p: unknown) => typeof p === 'string' && p !== '';
      if (ok(value)) return null;
      if (Array.isArray(value) && value.length > 0 && value.every(ok)) return null;
      return 'STARTS_WITH takes a non-empty string or a non-empty array of non-empty strings';
    }
  }
}

/**
 * Human-readable problems with a rule list, each naming the rule index; empty means valid.
 * With knownFields, lead fields (bare or `fields.x`) must be known; supplier_id and source.* always are.
 */
export function validateFilterRules(
  rules: FilterRule[] | null | undefined,
  knownFields?: ReadonlySet<string>,
): string[] {
  if (rules === null || rules === undefined) return [];
  if (!Array.isArray(rules)) return ['filters: must be an array'];
  const errors: string[] = [];
  rules.forEach((rule: unknown, i) => {
    const at = `filters[${i}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      errors.push(`${at}: must be an object with field, op and value`);
      return;
    }
    const { field, op, value } = rule as Record<string, unknown>;
    if (typeof field !== 'string' || field.trim() === '') {
      errors.push(`${at}.field: must be a non-empty string`);
    } else if (field.startsWith('source.')) {
      if (field.length === 'source.'.length) errors.push(`${at}.field: "source." needs a key, e.g. "source.sub_id"`);
    } else if (field !== 'supplier_id' && knownFields !== undefined) {
      const key = canonicalField(field);
      if (!knownFields.has(key) && !knownFields.has(field)) errors.push(`${at}.field: unknown field "${key}"`);
    }
    if (typeof op !== 'string' || !OPS.has(op)) {
      errors.push(`${at}.op: unknown operator ${show(op)}`);
      return;
    }
    const problem = valueProblem(op as FilterOp, value);
    if (problem !== null) errors.push(`${at}.value: ${problem}`);
  });
  return errors;
}
