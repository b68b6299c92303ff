import Decimal from 'decimal.js';
import jsonata from 'jsonata';
import { formatMoney, MoneyFormatError, parseMoney } from '@leadex/auction-core';

/**
 * The buyer wire format: the contract's default JSON, or a campaign's template — JSONata
 * expressions that map our request onto the buyer's and read bid, bid id, accepted and reason
 * out of the buyer's answer, so a buyer with its own format is integrated without code.
 * Pure apart from jsonata: no Nest, no I/O.
 */

/** A campaign's wire template; every string is a JSONata expression, every key optional (absent = default format). */
export interface BuyerTemplate {
  /** Ping body sent, evaluated against the default ping body `{ping_id, vertical, fields}`; a string result is sent as is. */
  pingRequest?: string;
  /** The bid, from the answer (parsed JSON, or `{"text": raw}` when not JSON): a money string/number, null = no bid. */
  pingBid?: string;
  /** The buyer's bid id, from the answer; absent/null = none. */
  pingBidId?: string;
  /** Post body sent, evaluated against the default post body; a string result is sent as is. */
  postRequest?: string;
  /** Whether the buyer took the lead, from the answer: must be a boolean. */
  postAccepted?: string;
  /** Why the buyer refused, from the answer. */
  postReason?: string;
  /** Extra headers on both calls (e.g. an API key, or Content-Type for an XML body). */
  headers?: Record<string, string>;
}

/** A template with every expression compiled once. Opaque: pass it back to the functions below. */
export interface CompiledTemplate {
  readonly pingRequest: jsonata.Expression | null;
  readonly pingBid: jsonata.Expression | null;
  readonly pingBidId: jsonata.Expression | null;
  readonly postRequest: jsonata.Expression | null;
  readonly postAccepted: jsonata.Expression | null;
  readonly postReason: jsonata.Expression | null;
  /** Validated extra headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A template that does not compile or does not evaluate; the message names the key, e.g. `template.pingBid: ...`. */
export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TemplateError';
  }
}

export interface BuyerPing {
  pingId: string;
  vertical: string;
  /** Non-PII fields only: the caller strips PII before a ping leaves the exchange. */
  fields: Record<string, unknown>;
}

export interface BuyerPost {
  /** The ping the lead answered; null for a lead posted whole (direct post). */
  pingId: string | null;
  /** The buyer's own bid id from its ping answer, if it gave one. */
  bidId: string | null;
  leadId: string;
  vertical: string;
  /** The price the buyer bid, as money ("9.25"). */
  price: string | Decimal;
  fields: Record<string, unknown>;
  consent: unknown;
}

export type PingAnswer =
  | { kind: 'bid'; price: Decimal; bidId: string | null }
  | { kind: 'no_bid' }
  | { kind: 'malformed'; reason: string };

export type PostAnswer =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string | null }
  | { kind: 'malformed'; reason: string };

const EXPRESSION_KEYS = ['pingRequest', 'pingBid', 'pingBidId', 'postRequest', 'postAccepted', 'postReason'] as const;
type ExpressionKey = (typeof EXPRESSION_KEYS)[number];
const TEMPLATE_KEYS: readonly string[] = [...EXPRESSION_KEYS, 'headers'];

/** Guardrails for buyer-written expressions: they run on the auction's hot path. */
const MAX_EXPRESSION_LENGTH = 4096;
/**
 * jsonata evaluates on microtasks, so a runaway expression holds the event loop while it runs. Its
 * own timeout is wall-clock time, which also counts other work interleaved with it (other pings, a
 * busy process), so it is only a loose backstop; the real bound is a count of evaluation steps,
 * which a busy process cannot make a sound template exceed: a mapping or a regex takes tens of
 * steps, a sum over 1000 items about 1000; 5000 steps is a few ms of event loop.
 */
const EVAL_LIMITS = { timeout: 500, stack: 200, sequence: 10000 };
const MAX_EVAL_STEPS = 5000;
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
/** jsonata's per-evaluation frame (`environment.base`), where the step count of one evaluation lives. */
type EvaluationFrame = { base: { leadexSteps?: number } };
function countStep(_expr: unknown, _input: unknown, environment: EvaluationFrame): void {
  const base = environment.base;
  base.leadexSteps = (base.leadexSteps ?? 0) + 1;
  if (base.leadexSteps > MAX_EVAL_STEPS) throw new Error(`expression took more than ${MAX_EVAL_STEPS} evaluation steps`);
}
const MAX_HEADERS = 20;
const MAX_HEADER_VALUE = 2048;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const HEADER_VALUE_RE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the HTTP client owns (framing, routing, identity); a template may not set them. */
const RESERVED_HEADERS = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer',
  'expect', 'proxy-authorization', 'proxy-connection', 'user-agent',
]);
const MAX_BID_ID_LENGTH = 255;
const MAX_REASON_LENGTH = 500;

const errorMessage = (e: unknown): string =>
  e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
    ? (e as { message: string }).message
    : String(e);

function compileExpression(key: ExpressionKey, source: unknown, problems: string[]): jsonata.Expression | null {
  if (source === undefined || source === null) return null;
  if (typeof source !== 'string' || source.trim() === '') {
    problems.push(`template.${key}: must be a non-empty JSONata expression string`);
    return null;
  }
  if (source.length > MAX_EXPRESSION_LENGTH) {
    problems.push(`template.${key}: longer than ${MAX_EXPRESSION_LENGTH} characters`);
    return null;
  }
  try {
    const expression = jsonata(source, EVAL_LIMITS);
    // Hooks are looked up as bindings: the entry hook counts this evaluation's steps.
    expression.assign(EVALUATE_ENTRY as unknown as string, countStep);
    // $eval compiles strings at run time: keep templates to what was validated when saved.
    expression.registerFunction('eval', () => {
      throw new Error('$eval is not available in buyer templates');
    });
    return expression;
  } catch (e) {
    const position = (e as { position?: unknown }).position;
    problems.push(`template.${key}: ${errorMessage(e)}${typeof position === 'number' ? ` (at ${position})` : ''}`);
    return null;
  }
}

function checkHeaders(headers: unknown, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    problems.push('template.headers: must be an object of header name to string value');
    return out;
  }
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) problems.push(`template.headers: at most ${MAX_HEADERS} headers`);
  for (const [name, value] of entries) {
    const where = `template.headers.${name}`;
    if (!HEADER_NAME_RE.test(name)) problems.push(`${where}: not a valid header name`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) problems.push(`${where}: set by the exchange, not by a template`);
    else if (typeof value !== 'string') problems.push(`${where}: must be a string`);
    else if (value.length > MAX_HEADER_VALUE || !HEADER_VALUE_RE.test(value)) problems.push(`${where}: not a valid header value`);
    else out[name.toLowerCase()] = value;
  }
  return out;
}

function compile(t: unknown): { template: CompiledTemplate | null; problems: string[] } {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) {
    return { template: null, problems: ['template: must be an object'] };
  }
  const problems: string[] = [];
  for (const key of Object.keys(t)) {
    if (!TEMPLATE_KEYS.includes(key)) problems.push(`template.${key}: unknown key (expected one of ${TEMPLATE_KEYS.join(', ')})`);
  }
  const raw = t as Record<string, unknown>;
  const template: CompiledTemplate = {
    pingRequest: compileExpression('pingRequest', raw.pingRequest, problems),
    pingBid: compileExpression('pingBid', raw.pingBid, problems),
    pingBidId: compileExpression('pingBidId', raw.pingBidId, problems),
    postRequest: compileExpression('postRequest', raw.postRequest, problems),
    postAccepted: compileExpression('postAccepted', raw.postAccepted, problems),
    postReason: compileExpression('postReason', raw.postReason, problems),
    headers: Object.freeze(checkHeaders(raw.headers, problems)),
  };
  return { template: problems.length ? null : template, problems };
}

/** Every problem of a template, for the portal to show; empty when it compiles. */
export function validateBuyerTemplate(t: unknown): string[] {
  return compile(t).problems;
}

/** Compiles each expression once; throws TemplateError naming every bad key. */
export function compileBuyerTemplate(t: BuyerTemplate): CompiledTemplate {
  const { template, problems } = compile(t);
  if (!template) throw new TemplateError(problems);
  return template;
}

/**
 * Compiled templates by their JSON, so each distinct template is compiled once however often the
 * campaigns holding it are reloaded or used; a template that does not compile is remembered too and
 * throws its TemplateError again. Bounded: past `max` distinct templates it starts over.
 */
export class BuyerTemplateCache {
  private readonly compiled = new Map<string, CompiledTemplate | TemplateError>();

  constructor(private readonly max = 10_000) {}

  /** The template compiled, null for none (the default format); throws TemplateError. */
  get(template: BuyerTemplate | Record<string, unknown> | null | undefined): CompiledTemplate | null {
    if (!template) return null;
    const key = JSON.stringify(template);
    let compiled = this.compiled.get(key);
    if (!compiled) {
      try {
        compiled = compileBuyerTemplate(template as BuyerTemplate);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        compiled = e;
      }
      if (this.compiled.size >= this.max) this.compiled.clear();
      this.compiled.set(key, compiled);
    }
    if (compiled instanceof TemplateError) throw compiled;
    return compiled;
  }
}

async function evaluate(key: ExpressionKey, expression: jsonata.Expression, input: unknown): Promise<unknown> {
  try {
    return unwrapSequence(await expression.evaluate(input));
  } catch (e) {
    throw new TemplateError([`template.${key}: ${errorMessage(e)}`]);
  }
}

/** JSONata hands back single-item sequences as arrays in places; a one-item result is that item. */
function unwrapSequence(value: unknown): unknown {
  if (Array.isArray(value) && (value as { sequence?: boolean }).sequence && value.length === 1) return value[0];
  return value;
}

/** The contract's ping body, or the template's mapping of it. Throws TemplateError when the mapping fails. */
export async function buildPingBody(tpl: CompiledTemplate | null, ping: BuyerPing): Promise<unknown> {
  const body = { ping_id: ping.pingId, vertical: ping.vertical, fields: ping.fields };
  if (!tpl?.pingRequest) return body;
  const mapped = await evaluate('pingRequest', tpl.pingRequest, body);
  if (mapped === undefined) throw new TemplateError(['template.pingRequest: produced nothing']);
  return mapped;
}

/** The contract's post body (price always with two places), or the template's mapping of it. */
export async function buildPostBody(tpl: CompiledTemplate | null, post: BuyerPost): Promise<unknown> {
  const body = {
    ping_id: post.pingId,
    bid_id: post.bidId,
    lead_id: post.leadId,
    vertical: post.vertical,
    price: formatMoney(parseMoney(post.price)),
    fields: post.fields,
    consent: post.consent ?? null,
  };
  if (!tpl?.postRequest) return body;
  const mapped = await evaluate('postRequest', tpl.postRequest, body);
  if (mapped === undefined) throw new TemplateError(['template.postRequest: produced nothing']);
  return mapped;
}

/** The answer as JSON, or `{text}` for a template to parse XML or plain text; undefined for the default format on bad JSON. */
function parseBody(body: string, forTemplate: boolean): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return forTemplate ? { ok: true, value: { text: body } } : { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const describeValue = (v: unknown): string => (v === undefined ? 'nothing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v);

/**
 * A bid value as money: a money string, or a JSON number with at most two places (read exactly
 * through its shortest decimal spelling, so 9.25 is "9.25"); null or zero = no bid.
 */
function toBid(value: unknown, where: string): { kind: 'bid'; price: Decimal } | { kind: 'no_bid' } | { kind: 'malformed'; reason: string } {
  if (value === null) return { kind: 'no_bid' };
  let spelled: string;
  if (typeof value === 'string') spelled = value;
  else if (typeof value === 'number' && Number.isFinite(value)) spelled = String(value);
  else return { kind: 'malformed', reason: `${where}: expected a money string like "9.25", got ${describeValue(value)}` };
  try {
    const price = parseMoney(spelled);
    return price.isZero() ? { kind: 'no_bid' } : { kind: 'bid', price };
  } catch (e) {
    if (e instanceof MoneyFormatError) return { kind: 'malformed', reason: `${where}: ${e.message}` };
    throw e;
  }
}

function toBidId(value: unknown, where: string): { ok: true; bidId: string | null } | { ok: false; reason: string } {
  if (value === undefined || value === null) return { ok: true, bidId: null };
  const bidId = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  if (bidId === undefined) return { ok: false, reason: `${where}: expected a string, got ${describeValue(value)}` };
  if (bidId.length > MAX_BID_ID_LENGTH) return { ok: false, reason: `${where}: longer than ${MAX_BID_ID_LENGTH} characters` };
  return { ok: true, bidId: bidId === '' ? null : bidId };
}

function toReason(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

const is2xx = (status: number) => status >= 200 && status <= 299;

/** Reads a buyer's ping answer; anything that is not a clean bid or no-bid is `malformed` (which counts as no bid). */
export async function parsePingAnswer(tpl: CompiledTemplate | null, status: number, body: string): Promise<PingAnswer> {
  if (!is2xx(status)) return { kind: 'malformed', reason: `http ${status}` };
  const template = tpl?.pingBid || tpl?.pingBidId ? tpl : null;
  const parsed = parseBody(body, template !== null);
  if (!parsed.ok) return { kind: 'malformed', reason: 'answer is not JSON' };
  const answer = parsed.value;
  if (!template && !isObject(answer)) return { kind: 'malformed', reason: `answer is ${describeValue(answer)}, expected an object` };

  let bidValue: unknown;
  let bidIdValue: unknown;
  try {
    bidValue = template?.pingBid ? await evaluate('pingBid', template.pingBid, answer) : (answer as Record<string, unknown>)?.bid;
    bidIdValue = template?.pingBidId
      ? await evaluate('pingBidId', template.pingBidId, answer)
      : isObject(answer) ? answer.bid_id : undefined;
  } catch (e) {
    return { kind: 'malformed', reason: errorMessage(e) };
  }
  const where = template?.pingBid ? 'template.pingBid' : 'bid';
  if (bidValue === undefined) return { kind: 'malformed', reason: `${where}: no bid in the answer (send null for no bid)` };
  const bid = toBid(bidValue, where);
  if (bid.kind !== 'bid') return bid;
  const bidId = toBidId(bidIdValue, template?.pingBidId ? 'template.pingBidId' : 'bid_id');
  if (!bidId.ok) return { kind: 'malformed', reason: bidId.reason };
  return { kind: 'bid', price: bid.price, bidId: bidId.bidId };
}

/** Reads a buyer's post answer: accepted, rejected (with its reason), or malformed. */
export async function parsePostAnswer(tpl: CompiledTemplate | null, status: number, body: string): Promise<PostAnswer> {
  if (!is2xx(status)) return { kind: 'malformed', reason: `http ${status}` };
  const template = tpl?.postAccepted || tpl?.postReason ? tpl : null;
  const parsed = parseBody(body, template !== null);
  if (!parsed.ok) return { kind: 'malformed', reason: 'answer is not JSON' };
  const answer = parsed.value;
  if (!template && !isObject(answer)) return { kind: 'malformed', reason: `answer is ${describeValue(answer)}, expected an object` };

  let accepted: unknown;
  try {
    accepted = template?.postAccepted
      ? await evaluate('postAccepted', template.postAccepted, answer)
      : isObject(answer) ? answer.accepted : undefined;
    if (accepted === true) return { kind: 'accepted' };
    if (accepted !== false) {
      const where = template?.postAccepted ? 'template.postAccepted' : 'accepted';
      return { kind: 'malformed', reason: `${where}: expected true or false, got ${describeValue(accepted)}` };
    }
    const reason = template?.postReason
      ? await evaluate('postReason', template.postReason, answer)
      : isObject(answer) ? answer.reason : undefined;
    return { kind: 'rejected', reason: toReason(reason) };
  } catch (e) {
    return { kind: 'malformed', reason: errorMessage(e) };
  }
}

/** What to send for a built body: JSON unless the template produced a string (XML, form, ...). */
export function serializeBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}
