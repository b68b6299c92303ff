import { closeSync, openSync, readSync, statSync } from 'fs';
import { Client } from 'pg';

/**
 * Server-side time of every statement, from PostgreSQL's own log (BENCH_PG_LOG=1): the bench turns
 * on log_min_duration_statement = 0 for its database only, then reads what each load step added to
 * the server log. Unlike the client-side timing this excludes network and event-loop waits, and it
 * splits the extended protocol into parse, bind (planning happens here for unnamed statements) and
 * execute. Logging every statement costs the server CPU, so use it on a low-concurrency step.
 * pg_stat_statements would be cheaper but needs shared_preload_libraries and a server restart.
 */

export interface ServerStatementStats {
  count: number;
  parseMs: number;
  bindMs: number;
  executeMs: number;
  /** Mean parse + bind + execute (or simple-protocol statement) time, in ms. */
  meanMs: number;
}

export async function enableStatementLog(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`ALTER DATABASE "${name}" SET log_min_duration_statement = 0`);
    await c.query(`ALTER DATABASE "${name}" SET log_parameter_max_length = 0`);
  } finally {
    await c.end();
  }
}

export async function serverLogFile(databaseUrl: string): Promise<string> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT pg_current_logfile() AS f, current_setting('data_directory') AS d`);
    if (rows[0].f) return rows[0].f.startsWith('/') ? rows[0].f : `${rows[0].d}/${rows[0].f}`;
  } catch {
    // logging collector off: fall through to the Debian default
  } finally {
    await c.end();
  }
  return process.env.BENCH_PG_LOG_FILE ?? '/var/log/postgresql/postgresql-15-main.log';
}

export class StatementLogReader {
  private offset = 0;

  constructor(private readonly file: string, private readonly database: string) {}

  mark(): void {
    this.offset = statSync(this.file).size;
  }

  /** Statement stats from what the log gained since mark(). */
  read(): Record<string, ServerStatementStats> {
    const size = statSync(this.file).size;
    const length = size - this.offset;
    const buf = Buffer.alloc(Math.max(0, length));
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buf, 0, length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const stats = new Map<string, { count: number; parse: number; bind: number; execute: number; simple: number }>();
    const re = new RegExp(`@${this.database} LOG:  duration: ([\\d.]+) ms  (parse|bind|execute|statement)( [^:]*)?: (.*)$`);
    const record = (ms: number, phase: string, sql: string) => {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 72);
      let s = stats.get(key);
      if (!s) stats.set(key, (s = { count: 0, parse: 0, bind: 0, execute: 0, simple: 0 }));
      if (phase === 'parse') s.parse += ms;
      else if (phase === 'bind') s.bind += ms;
      else if (phase === 'execute') {
        s.execute += ms;
        s.count++;
      } else {
        s.simple += ms;
        s.count++;
      }
    };
    // A statement's text runs on over the following lines (those without the log-line prefix).
    let open: { ms: number; phase: string; sql: string } | null = null;
    for (const line of buf.toString('utf8').split('\n')) {
      const isEntry = /^\d{4}-\d\d-\d\d /.test(line);
      if (!isEntry) {
        if (open && open.sql.length < 200) open.sql += ` ${line}`;
        continue;
      }
      if (open) record(open.ms, open.phase, open.sql);
      const m = re.exec(line);
      open = m ? { ms: Number(m[1]), phase: m[2], sql: m[4] } : null;
    }
    if (open) record(open.ms, open.phase, open.sql);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return Object.fromEntries(
      [...stats]
        .filter(([, s]) => s.count > 0)
        .map(([k, s]) => [
          k,
          {
            count: s.count,
            parseMs: r(s.parse / s.count),
            bindMs: r(s.bind / s.count),
            executeMs: r((s.execute + s.simple) / s.count),
            meanMs: r((s.parse + s.bind + s.execute + s.simple) / s.count),
          },
        ]),
    );
  }
}
