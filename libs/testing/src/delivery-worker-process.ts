import { ChildProcess, execSync, fork } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
const WORKER = join(ROOT, 'dist', 'apps', 'exchange', 'src', 'worker.js');

export interface DeliveryWorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM (graceful: jobs in hand finish) and wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a worker that dies mid-job. */
  kill(): Promise<void>;
}

/** The built delivery worker (`npm run start:worker`) as its own process, configured by `env`. */
export async function spawnDeliveryWorker(env: Record<string, string> = {}): Promise<DeliveryWorkerProcess> {
  if (!existsSync(WORKER)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const child = fork(WORKER, [], {
    env: { ...process.env, LOG_LEVEL: 'warn', LEADEX_APP: 'worker', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`delivery worker did not start:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes('Leadex delivery worker started')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`delivery worker exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `probe` until it returns a truthy value (returned), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
