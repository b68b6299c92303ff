import { ChildProcess, execSync, fork } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'exchange', 'src', 'main.js');

/**
 * A second, separate exchange process (the built app), to prove what must hold across processes:
 * caps, credit limits and duplicates decided by PostgreSQL, not by one process's memory.
 */
export async function spawnExchangeProcess(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  if (!existsSync(MAIN)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const child = fork(MAIN, [], {
    env: { ...process.env, EXCHANGE_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', LEADEX_APP: 'exchange-2', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exchange process did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exchange process exited with ${code}:\n${output}`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { url, child, stop };
}
