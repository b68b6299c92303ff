/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof` or the bench's BENCH_PROFILE=1): where the
 * samples land by function (self time), by package, and which of our own or library functions hold
 * the most time including what they call (synchronous time only: async continuations are separate).
 *
 *   node dist/tools/bench/cpu-profile-summary.js bench-results/exchange-c64.cpuprofile [top]
 */
import { readFileSync } from 'fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples where V8 was idle (nothing to run): the headroom left on the JS thread. */
  idlePct: number;
  topSelf: ProfileRow[];
  byPackage: ProfileRow[];
  topInclusive: ProfileRow[];
}

/** node_modules package, node internals, our code (dist/apps, dist/libs), or a V8 pseudo-frame. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(GC)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program: V8/native)';
    if (functionName === '(root)') return '(root)';
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = /\/dist\/((apps|libs|tools)\/[^/]+)/.exec(url);
  if (dist) return `leadex ${dist[1]}`;
  return url.replace(/^file:\/\//, '');
}

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '');
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

export function summarizeCpuProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Time per node from samples and their deltas (more exact than hitCount × interval).
  const nodeMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length) {
    for (let i = 0; i < samples.length; i++) {
      const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
      nodeMs.set(samples[i], (nodeMs.get(samples[i]) ?? 0) + dt);
    }
  } else {
    const total = (profile.endTime - profile.startTime) / 1000;
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    for (const n of profile.nodes) nodeMs.set(n.id, ((n.hitCount ?? 0) / hits) * total);
  }
  const totalMs = [...nodeMs.values()].reduce((a, b) => a + b, 0) || 1;

  const self = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of nodeMs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const pkg = packageOf(node.callFrame);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + ms);
    if (pkg === '(idle)') idle += ms;
    // Each function on the stack once, however often it recurses.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!frame.url) continue;
      const fname = frameName(frame);
      if (seen.has(fname)) continue;
      seen.add(fname);
      inclusive.set(fname, (inclusive.get(fname) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - idle || 1;
  const rows = (m: Map<string, number>, base: number, filter: (name: string) => boolean = () => true) =>
    [...m]
      .filter(([name]) => filter(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((ms / base) * 1000) / 10 }));
  return {
    totalMs: Math.round(totalMs),
    idlePct: Math.round((idle / totalMs) * 1000) / 10,
    // percentages of busy (non-idle) time, so steps with different idle shares compare
    topSelf: rows(self, busyMs, (n) => !n.startsWith('(idle)')),
    byPackage: rows(pkgs, busyMs, (n) => n !== '(idle)'),
    // the event-loop plumbing (processTicksAndRejections, listOnTimeout...) holds everything: skip node internals
    topInclusive: rows(inclusive, busyMs, (n) => !/ node:/.test(` ${n.split(' ').slice(1).join(' ')}`)),
  };
}

export function formatProfileSummary(s: ProfileSummary, title: string): string {
  const table = (rows: ProfileRow[], head: string) =>
    [`| ${head} | ms | % of busy |`, '|---|---:|---:|', ...rows.map((r) => `| \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms} | ${r.pct} |`)].join('\n');
  return [
    `#### ${title}`,
    '',
    `Profiled ${s.totalMs} ms; the JS thread was idle ${s.idlePct} % of it.`,
    '',
    '**Self time by package**',
    '',
    table(s.byPackage, 'package'),
    '',
    '**Top functions by self time**',
    '',
    table(s.topSelf, 'function'),
    '',
    '**Top functions including callees (synchronous)**',
    '',
    table(s.topInclusive, 'function'),
    '',
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/tools/bench/cpu-profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  const summary = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')), top ? Number(top) : 25);
  console.log(formatProfileSummary(summary, file));
}
