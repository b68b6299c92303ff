import type { LatencySummary } from './exchange-probe';
import type { ServerStatementStats } from './pg-statement-log';
import type { LoadStepResult } from './load-step';
import { formatProfileSummary, ProfileSummary } from './cpu-profile-summary';

export interface AuctionCoreFigures {
  meanUs: number;
  p50Us: number;
  p99Us: number;
  leadsPerSec: number;
  avgEligible: number;
}

export interface StepReport {
  label: string;
  client: LoadStepResult;
  /** Leads stored during the step, by status, counted in PostgreSQL. */
  db: Record<string, number>;
  soldPerSec: number;
  peakRssMb: number;
  /**
   * CPU used during the step, in % of one core (the machine has `cores` × 100 %). `exchange` is its
   * main (JS) thread; `exchangeRunQueueWait` is how long that thread was ready to run but waited for a core.
   */
  cpuPct: {
    exchange: number;
    exchangeAllThreads: number;
    exchangeRunQueueWait: number;
    otherProcesses: number;
    postgres: number;
    redis: number;
    bench: number;
    machineBusy: number;
    machineSteal: number;
    machineCapacity: number;
  };
  eventLoopUtilization: number | null;
  eventLoopDelayP99Ms: number | null;
  /** Average number of exchange backends in each state (pg_stat_activity samples). */
  pgBackendStates: Record<string, number>;
  /** Of the backends waiting on a lock, which statement they were running (average count). */
  lockWaitsByStatement: Record<string, number>;
  sql: Record<string, LatencySummary> | null;
  poolCheckout: LatencySummary | null;
  /** Server-side statement times from the PostgreSQL log (BENCH_PG_LOG=1). */
  serverSql: Record<string, ServerStatementStats> | null;
  profile: ProfileSummary | null;
  profileFile: string | null;
}

export interface BenchReport {
  date: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  market: { campaigns: number; buyers: number; bidTiers: string[]; withCaps: number; withSchedules: number };
  steps: StepReport[];
  auctionCore: AuctionCoreFigures | { error: string } | null;
  targets: { name: string; target: string; reached: string; met: boolean }[];
}

const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export function evaluateTargets(steps: StepReport[], core: BenchReport['auctionCore']): BenchReport['targets'] {
  const withinP99 = steps.filter((s) => s.client.latencyMs.p99 <= 100);
  const best = withinP99.sort((a, b) => b.soldPerSec - a.soldPerSec)[0];
  const peak = [...steps].sort((a, b) => b.soldPerSec - a.soldPerSec)[0];
  const targets: BenchReport['targets'] = [
    {
      name: 'direct post throughput',
      target: '≥ 500 sold leads/s with p99 ≤ 100 ms',
      reached: best
        ? `${n(best.soldPerSec)} sold/s at p99 ${n(best.client.latencyMs.p99)} ms (${best.label})` +
          (peak && peak !== best ? `; peak ${n(peak.soldPerSec)} sold/s at p99 ${n(peak.client.latencyMs.p99)} ms (${peak.label})` : '')
        : peak
          ? `no step within p99 100 ms; peak ${n(peak.soldPerSec)} sold/s at p99 ${n(peak.client.latencyMs.p99)} ms (${peak.label})`
          : 'no steps ran',
      met: !!best && best.soldPerSec >= 500,
    },
  ];
  if (core && 'meanUs' in core) {
    targets.push({
      name: 'pure auction, 1,000 campaigns',
      target: '< 1 ms per lead',
      reached: `mean ${core.meanUs} µs, p99 ${core.p99Us} µs`,
      met: core.meanUs < 1000 && core.p99Us < 1000,
    });
  } else {
    targets.push({ name: 'pure auction, 1,000 campaigns', target: '< 1 ms per lead', reached: core ? `not run: ${core.error}` : 'not run', met: false });
  }
  return targets;
}

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`## Leadex bench — ${r.date}`, '');
  out.push(
    `Machine: ${r.machine.cpu} × ${r.machine.cores} cores, ${r.machine.memoryGb} GB RAM, ${r.machine.os}; ` +
      `Node ${r.machine.node}; ${r.machine.postgres}; load generator, exchange and PostgreSQL on the same machine.`,
    '',
  );
  out.push(
    `Market: ${r.market.campaigns} active fixed-price auto-insurance campaigns (${r.market.buyers} buyers, bids ${r.market.bidTiers.join(' / ')}; ` +
      `${r.market.withCaps} with caps, ${r.market.withSchedules} with schedules), one supplier; every request a unique lead.`,
    '',
  );
  out.push(
    `Settings: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
  );
  out.push('### Direct post (`POST /v1/leads`)', '');
  out.push(
    '| connections | req/s | sold/s | sold | unsold | dup | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors | peak RSS MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of r.steps) {
    const c = s.client;
    out.push(
      `| ${c.connections} | ${n(c.requestsPerSec)} | **${n(s.soldPerSec)}** | ${s.db.sold ?? 0} | ${s.db.unsold ?? 0} | ${s.db.duplicate ?? 0} | ` +
        `${n(c.latencyMs.p50)} | ${n(c.latencyMs.p95)} | **${n(c.latencyMs.p99)}** | ${n(c.latencyMs.max)} | ${c.non2xx} | ${c.socketErrors + c.timeouts} | ` +
        `${s.peakRssMb} |`,
    );
  }
  out.push('');
  out.push(
    'Where the CPU went (% of one core; the machine has ' + (r.steps[0]?.cpuPct.machineCapacity ?? '?') + ' %):',
    '',
    '| connections | exchange JS thread | exchange all threads | JS thread waiting for a core | PostgreSQL | Redis | load generator | other processes | machine busy | steal | event loop util | loop delay p99 ms | machine CPU ms per request |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of r.steps) {
    const c = s.cpuPct;
    const perLead = s.client.requestsPerSec ? Math.round(((c.machineBusy - c.otherProcesses) * 1000) / s.client.requestsPerSec) / 100 : 0;
    out.push(
      `| ${s.client.connections} | ${c.exchange} | ${c.exchangeAllThreads} | ${c.exchangeRunQueueWait} | ${c.postgres} | ${c.redis} | ${c.bench} | ` +
        `${c.otherProcesses > 15 ? `**${c.otherProcesses}**` : c.otherProcesses} | ${c.machineBusy} | ${c.machineSteal} | ` +
        `${s.eventLoopUtilization ?? '–'} | ${s.eventLoopDelayP99Ms ?? '–'} | ${perLead} |`,
    );
  }
  out.push(
    '',
    '"JS thread waiting for a core": time the exchange was ready to run but every core was busy (/proc schedstat). ' +
      '"Other processes" in bold: other work shared the machine during that step, so its figures are pessimistic.',
    '',
  );
  const rejected = r.steps.flatMap((s) => Object.entries(s.client.rejections).map(([k, body]) => `- ${s.label}: ${k}: \`${body}\``));
  if (rejected.length) out.push('Rejections seen:', '', ...rejected, '');

  out.push('### PostgreSQL backends of the exchange (average count in each state)', '');
  const states = [...new Set(r.steps.flatMap((s) => Object.keys(s.pgBackendStates)))];
  out.push(`| state | ${r.steps.map((s) => s.label).join(' | ')} |`, `|---|${r.steps.map(() => '---:').join('|')}|`);
  for (const st of states) out.push(`| ${st} | ${r.steps.map((s) => s.pgBackendStates[st] ?? 0).join(' | ')} |`);
  out.push('');
  const lockStmts = [...new Set(r.steps.flatMap((s) => Object.keys(s.lockWaitsByStatement)))];
  if (lockStmts.length) {
    out.push('Backends waiting on a row lock, by the statement they were running (average count):', '');
    out.push(`| statement | ${r.steps.map((s) => s.label).join(' | ')} |`, `|---|${r.steps.map(() => '---:').join('|')}|`);
    for (const st of lockStmts) out.push(`| \`${st}\` | ${r.steps.map((s) => s.lockWaitsByStatement[st] ?? 0).join(' | ')} |`);
    out.push('');
  }

  if (r.steps.some((s) => s.sql)) {
    out.push('### SQL as the exchange sees it (client side: send → result handled)', '');
    for (const s of r.steps) {
      if (!s.sql) continue;
      out.push(`#### ${s.label}`, '', '| statement | count | mean ms | p50 ms | p99 ms | total s |', '|---|---:|---:|---:|---:|---:|');
      const rows = Object.entries(s.sql).sort((a, b) => b[1].totalMs - a[1].totalMs);
      if (s.poolCheckout) rows.unshift(['(pool checkout wait)', s.poolCheckout]);
      for (const [k, v] of rows.slice(0, 14)) {
        out.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${v.count} | ${v.meanMs} | ${v.p50Ms} | ${v.p99Ms} | ${n(v.totalMs / 1000)} |`);
      }
      out.push('');
    }
  }
  if (r.steps.some((s) => s.serverSql)) {
    out.push('### SQL as PostgreSQL sees it (server log: parse + bind/plan + execute, no network)', '');
    for (const s of r.steps) {
      if (!s.serverSql) continue;
      const rows = Object.entries(s.serverSql).sort((a, b) => b[1].meanMs * b[1].count - a[1].meanMs * a[1].count);
      const perRequest = rows.reduce((sum, [, v]) => sum + v.meanMs * v.count, 0) / Math.max(1, s.client.requests);
      out.push(
        `#### ${s.label}: ${perRequest.toFixed(2)} ms of statement time per request`,
        '',
        '| statement | count | parse ms | bind ms | execute ms | mean ms |',
        '|---|---:|---:|---:|---:|---:|',
      );
      for (const [k, v] of rows.slice(0, 16)) {
        out.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${v.count} | ${v.parseMs} | ${v.bindMs} | ${v.executeMs} | ${v.meanMs} |`);
      }
      out.push('');
    }
  }
  for (const s of r.steps) if (s.profile) out.push(formatProfileSummary(s.profile, `CPU profile of the exchange, ${s.label} (${s.profileFile})`));

  out.push('### Pure auction (`runFixedPriceAuction`, 1,000 campaigns)', '');
  if (r.auctionCore && 'meanUs' in r.auctionCore) {
    const a = r.auctionCore;
    out.push(
      '| mean µs | p50 µs | p99 µs | leads/s | eligible bids per lead |',
      '|---:|---:|---:|---:|---:|',
      `| ${a.meanUs} | ${a.p50Us} | ${a.p99Us} | ${a.leadsPerSec} | ${a.avgEligible} |`,
      '',
    );
  } else {
    out.push(`Not run: ${r.auctionCore ? r.auctionCore.error : 'skipped'}`, '');
  }

  out.push('### Targets', '', '| target | wanted | reached | met |', '|---|---|---|---|');
  for (const t of r.targets) out.push(`| ${t.name} | ${t.target} | ${t.reached} | ${t.met ? 'yes' : '**no**'} |`);
  out.push('');
  return out.join('\n');
}
