import { Client } from 'pg';

/**
 * Samples what one application's PostgreSQL backends (the exchange's by default, or the delivery
 * worker's) are doing, every `intervalMs`: running on CPU, waiting on a lock or on the WAL flush, or
 * idle in a transaction waiting for the application to send the next statement. Over a load step this says where the database side of a request spends its time
 * (pg_stat_statements needs a server restart to load, so the bench does not rely on it).
 */
export class PgActivitySampler {
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tallies = new Map<string, number>();
  private lockWaits = new Map<string, number>();
  private samples = 0;
  private busy = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly intervalMs = 100,
    /** Whose backends: an application_name LIKE pattern, and what to call that application in the states. */
    private readonly of: { applicationNameLike: string; party: string } = { applicationNameLike: 'leadex-exchange%', party: 'the exchange' },
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.databaseUrl, application_name: 'leadex-bench-sampler' });
    await this.client.connect();
  }

  begin(): void {
    this.tallies = new Map();
    this.lockWaits = new Map();
    this.samples = 0;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query(
        `SELECT state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend'
            AND application_name LIKE $1 AND pid <> pg_backend_pid()`,
        [this.of.applicationNameLike],
      );
      this.samples++;
      for (const r of rows) {
        const what =
          r.state === 'active'
            ? r.wait_event_type
              ? `active: waiting ${r.wait_event_type}:${r.wait_event}`
              : 'active: on CPU'
            : r.state === 'idle in transaction'
              ? `idle in transaction (waiting for ${this.of.party})`
              : r.state === 'idle'
                ? 'idle (pooled, unused)'
                : String(r.state);
        this.tallies.set(what, (this.tallies.get(what) ?? 0) + 1);
        if (r.state === 'active' && r.wait_event_type === 'Lock') {
          const q = String(r.query).trim();
          this.lockWaits.set(q, (this.lockWaits.get(q) ?? 0) + 1);
        }
      }
    } catch {
      // a missed sample is fine
    } finally {
      this.busy = false;
    }
  }

  /**
   * Average number of backends in each state over the step (the sum is the pool size in use), and
   * of those waiting on a lock, which statement they were running.
   */
  end(): { states: Record<string, number>; lockWaitsByStatement: Record<string, number> } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const avg = (m: Map<string, number>) => {
      const out: Record<string, number> = {};
      for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) out[k] = Math.round((v / Math.max(1, this.samples)) * 100) / 100;
      return out;
    };
    return { states: avg(this.tallies), lockWaitsByStatement: avg(this.lockWaits) };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.end().catch(() => undefined);
  }
}
