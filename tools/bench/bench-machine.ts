import { readFileSync } from 'fs';
import { cpus, loadavg, release, totalmem } from 'os';
import { machineCpuSeconds } from './exchange-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the machine is quiet (other work under `quietPct` % of one core for two seconds
 * running), so a step does not measure someone else's load; at most `timeoutS`, then measures anyway.
 */
export async function waitForQuiet(timeoutS: number, log: (msg: string) => void, quietPct = 30): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  let quietSeconds = 0;
  let announced = false;
  while (Date.now() < deadline) {
    const a = machineCpuSeconds();
    await sleep(1000);
    const b = machineCpuSeconds();
    const busyPct = ((b.busy - a.busy) / Math.max(0.001, (b.total - a.total) / cpus().length)) * 100;
    if (busyPct < quietPct) {
      if (++quietSeconds >= 2) return;
    } else {
      quietSeconds = 0;
      if (!announced) log(`machine busy (${Math.round(busyPct)} % of one core used by other processes); waiting for quiet`);
      announced = true;
    }
  }
  log(`machine still busy after ${timeoutS} s; measuring anyway (see "other processes")`);
}

/** What the figures were measured on: CPU, cores, memory, kernel, Node and the given PostgreSQL description. */
export function describeMachine(postgres: string): Record<string, string | number> {
  let virt = '';
  try {
    virt = /hypervisor/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? ' (virtual machine)' : '';
  } catch {
    // not Linux
  }
  return {
    cpu: `${cpus()[0]?.model ?? 'unknown CPU'}${virt}`,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version.slice(1),
    postgres,
    loadAverageAtStart: loadavg()[0].toFixed(2),
  };
}
