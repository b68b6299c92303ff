// Leadex direct post under load, for k6 (https://k6.io): every iteration posts a unique lead
// (a new NANP phone and email) to POST /v1/leads and checks the answer.
//
//   BASE_URL=http://127.0.0.1:3000 API_KEY=lx_... k6 run load-tests/direct-post.k6.js
//
// Environment:
//   BASE_URL      exchange base URL (default http://127.0.0.1:3000)
//   API_KEY       a supplier API key (required)
//   VERTICAL      default auto-insurance
//   SCENARIO      "steps" (default): closed model like `npm run bench`, STEPS virtual users each for
//                 STEP_DURATION; "rate": open model, RATE new leads per second for DURATION, however
//                 slow the answers (the honest test of a throughput target)
//   STEPS         default "8,32,64"        STEP_DURATION  default "30s"
//   RATE          default 500              DURATION       default "60s"
//   P99_MS        latency threshold, default 100
//
// The market must have campaigns that buy: `npm run bench` seeds one (database leadex_bench) and
// keeps it after its run; see load-tests/README.md.
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { Counter, Rate } from 'k6/metrics';

const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const API_KEY = __ENV.API_KEY;
const VERTICAL = __ENV.VERTICAL || 'auto-insurance';
const SCENARIO = __ENV.SCENARIO || 'steps';
const STEPS = (__ENV.STEPS || '8,32,64').split(',').map((s) => parseInt(s, 10)).filter((n) => n > 0);
const STEP_DURATION = __ENV.STEP_DURATION || '30s';
const RATE = parseInt(__ENV.RATE || '500', 10);
const DURATION = __ENV.DURATION || '60s';
const P99_MS = parseInt(__ENV.P99_MS || '100', 10);

if (!API_KEY) throw new Error('set API_KEY to a supplier API key (npm run bench prints where to find one)');

function secondsOf(d) {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return parseInt(m[1], 10) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
}

function stepScenarios() {
  const scenarios = {};
  let startS = 0;
  for (const vus of STEPS) {
    scenarios[`c${vus}`] = { executor: 'constant-vus', vus, duration: STEP_DURATION, startTime: `${startS}s`, gracefulStop: '5s' };
    startS += secondsOf(STEP_DURATION) + 5;
  }
  return scenarios;
}

const scenarios =
  SCENARIO === 'rate'
    ? {
        rate: {
          executor: 'constant-arrival-rate',
          rate: RATE,
          timeUnit: '1s',
          duration: DURATION,
          preAllocatedVUs: Math.max(16, Math.ceil(RATE / 10)),
          maxVUs: Math.max(64, RATE),
        },
      }
    : stepScenarios();

// Per-step latency thresholds in the steps scenario, one overall in the rate scenario.
const thresholds = { checks: ['rate>0.99'], http_req_failed: ['rate<0.01'] };
for (const name of Object.keys(scenarios)) thresholds[`http_req_duration{scenario:${name}}`] = [`p(99)<${P99_MS}`];
if (SCENARIO === 'rate') thresholds.sold_leads = [`rate>=${Math.floor(RATE * 0.95)}`];

export const options = { scenarios, thresholds, discardResponseBodies: false, summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'] };

const soldLeads = new Counter('sold_leads');
const unsoldLeads = new Counter('unsold_leads');
const duplicateLeads = new Counter('duplicate_leads');
const sold = new Rate('sold_share');

const STATES = 'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'.split(' ');
const CREDIT = ['excellent', 'good', 'fair', 'poor'];
// Real area codes: every exchange 200-999 under them (but N11 and 555) is a valid US number.
const AREAS = [205, 212, 214, 305, 312, 404, 415, 503, 602, 617, 702, 713, 720, 786, 813, 917, 952, 971];
const EXCHANGES = [];
for (let e = 200; e <= 999; e++) if (e % 100 !== 11 && e !== 555) EXCHANGES.push(e);
const PREFIXES = AREAS.length * EXCHANGES.length;

// Unique per run and per iteration (k6 numbers each scenario's iterations across all VUs). Phones
// start at a random offset, so a second run on the same database is not all duplicates.
export function setup() {
  return { runId: Date.now().toString(36), phoneOffset: Math.floor(Math.random() * PREFIXES * 10000) };
}

function pick(xs) {
  return xs[Math.floor(Math.random() * xs.length)];
}

function uniqueLead(data, n) {
  const k = (n + data.phoneOffset) % (PREFIXES * 10000);
  const p = k % PREFIXES;
  const line = Math.floor(k / PREFIXES);
  const phone = `+1${AREAS[p % AREAS.length]}${EXCHANGES[Math.floor(p / AREAS.length)]}${String(line).padStart(4, '0')}`;
  return {
    vertical: VERTICAL,
    source: { sub_id: `k6-${exec.scenario.name}`, ip: '203.0.113.9', user_agent: 'leadex-k6' },
    consent: { tcpa: true, text: 'By clicking Get Quotes I agree to be contacted by insurance partners.' },
    fields: {
      first_name: 'Ana',
      last_name: 'Diaz',
      // the phone space restarts with each run (and phones dedupe for 30 days): the email never repeats
      email: `k6.${data.runId}.${n}@example.com`,
      phone,
      zip: String(Math.floor(Math.random() * 100000)).padStart(5, '0'),
      state: pick(STATES),
      age: 18 + Math.floor(Math.random() * 68),
      credit_rating: pick(CREDIT),
      homeowner: Math.random() < 0.55,
      currently_insured: Math.random() < 0.8,
      vehicle_count: 1 + Math.floor(Math.random() * 3),
    },
  };
}

export default function (data) {
  const n = exec.scenario.iterationInTest + 1_000_000 * Object.keys(scenarios).indexOf(exec.scenario.name);
  const res = http.post(`${BASE_URL}/v1/leads`, JSON.stringify(uniqueLead(data, n)), {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    tags: { name: 'POST /v1/leads' },
  });
  let status = null;
  try {
    status = res.json('status');
  } catch (e) {
    status = null;
  }
  check(res, {
    'answered 200': (r) => r.status === 200,
    'a lead status': () => status === 'sold' || status === 'unsold' || status === 'duplicate',
  });
  sold.add(status === 'sold');
  if (status === 'sold') soldLeads.add(1);
  else if (status === 'unsold') unsoldLeads.add(1);
  else if (status === 'duplicate') duplicateLeads.add(1);
}
