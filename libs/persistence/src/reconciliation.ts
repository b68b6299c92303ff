/**
 * Reconciliation: proves from the database alone that every cent is accounted for. Each check is one
 * SQL query that returns the rows that break it (empty = holds), so it runs on a live exchange without
 * locking anything and names exactly what broke. Used by `npm run reconcile` and by tests.
 */

/** What a check needs: anything with pg's query (a Client, a Pool, a PoolClient). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

export interface ReconciliationCheck {
  name: string;
  ok: boolean;
  /** How many rows break it (at most `limit` are listed in `breaks`). */
  count: number;
  breaks: string[];
}

export interface ReconciliationReport {
  ok: boolean;
  checks: ReconciliationCheck[];
  totals: { transactions: number; entries: number; debits: string; credits: string };
}

interface CheckSpec {
  name: string;
  /** Rows that break the rule, each with a `what` column describing it. */
  sql: string;
}

/** Per sale: what its SALE (or RETURN) transaction moved, account by account, net of direction. */
const MOVED_BY = (kind: 'SALE' | 'RETURN') => `
  SELECT t.sale_id, count(DISTINCT t.id) AS txns,
         coalesce(sum(CASE WHEN e.account_type = 'BUYER' THEN (CASE e.direction WHEN 'DEBIT' THEN e.amount ELSE -e.amount END) END), 0) AS buyer_debit,
         coalesce(sum(CASE WHEN e.account_type = 'SUPPLIER' THEN (CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) END), 0) AS supplier_credit,
         coalesce(sum(CASE WHEN e.account_type = 'EXCHANGE_REVENUE' THEN (CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) END), 0) AS revenue_credit,
         bool_and(e.account_type NOT IN ('BUYER', 'SUPPLIER') OR e.account_id = CASE e.account_type WHEN 'BUYER' THEN s.buyer_id ELSE s.supplier_id END) AS right_accounts
    FROM ledger_transactions t
    JOIN sales s ON s.id = t.sale_id
    LEFT JOIN ledger_entries e ON e.transaction_id = t.id
   WHERE t.kind = '${kind}'
   GROUP BY t.sale_id`;

const CHECKS: CheckSpec[] = [
  {
    name: 'every ledger transaction balances (debits = credits) and has entries',
    sql: `SELECT format('%s transaction %s: debits %s, credits %s', t.kind, t.id, coalesce(x.debits, 0), coalesce(x.credits, 0)) AS what
            FROM ledger_transactions t
            LEFT JOIN (SELECT transaction_id, sum(amount) FILTER (WHERE direction = 'DEBIT') AS debits,
                              sum(amount) FILTER (WHERE direction = 'CREDIT') AS credits
                         FROM ledger_entries GROUP BY transaction_id) x ON x.transaction_id = t.id
           WHERE x.transaction_id IS NULL OR coalesce(x.debits, 0) <> coalesce(x.credits, 0)`,
  },
  {
    name: 'every ledger entry belongs to a transaction',
    sql: `SELECT format('entry %s points at missing transaction %s', e.id, e.transaction_id) AS what
            FROM ledger_entries e LEFT JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.id IS NULL`,
  },
  {
    name: 'each SOLD or RETURNED sale has exactly one SALE transaction matching its price, payout and margin',
    sql: `SELECT format('sale %s (%s, price %s, payout %s, margin %s): %s SALE transaction(s), buyer debited %s, supplier credited %s, revenue %s%s',
                        s.id, s.status, s.price, s.payout, s.margin, coalesce(m.txns, 0), m.buyer_debit, m.supplier_credit, m.revenue_credit,
                        CASE WHEN m.right_accounts IS FALSE THEN ', wrong buyer or supplier account' ELSE '' END) AS what
            FROM sales s LEFT JOIN (${MOVED_BY('SALE')}) m ON m.sale_id = s.id
           WHERE s.status IN ('SOLD', 'RETURNED')
             AND (m.sale_id IS NULL OR m.txns <> 1 OR m.buyer_debit <> s.price OR m.supplier_credit <> s.payout
                  OR m.revenue_credit <> s.margin OR m.right_accounts IS NOT TRUE)`,
  },
  {
    name: 'a PENDING sale (a hold) has no ledger transaction yet',
    sql: `SELECT format('pending sale %s has a %s transaction %s', s.id, t.kind, t.id) AS what
            FROM sales s JOIN ledger_transactions t ON t.sale_id = s.id WHERE s.status = 'PENDING'`,
  },
  {
    name: 'each RETURNED sale has exactly one RETURN transaction reversing it, and no other sale has one',
    sql: `SELECT format('sale %s (%s, price %s, payout %s, margin %s): %s RETURN transaction(s), buyer credited %s, supplier debited %s, revenue reversed %s%s',
                        s.id, s.status, s.price, s.payout, s.margin, coalesce(m.txns, 0), -m.buyer_debit, -m.supplier_credit, -m.revenue_credit,
                        CASE WHEN m.right_accounts IS FALSE THEN ', wrong buyer or supplier account' ELSE '' END) AS what
            FROM sales s LEFT JOIN (${MOVED_BY('RETURN')}) m ON m.sale_id = s.id
           WHERE (s.status = 'RETURNED' AND (m.sale_id IS NULL OR m.txns <> 1 OR m.buyer_debit <> -s.price OR m.supplier_credit <> -s.payout
                                              OR m.revenue_credit <> -s.margin OR m.right_accounts IS NOT TRUE))
              OR (s.status <> 'RETURNED' AND m.sale_id IS NOT NULL)`,
  },
  {
    name: 'each approved return has its sale RETURNED and one RETURN transaction; no sale has two live returns',
    sql: `SELECT format('return %s (%s) of sale %s: sale is %s, %s RETURN transaction(s), amount %s vs price %s', r.id, r.status, r.sale_id, s.status,
                        (SELECT count(*) FROM ledger_transactions t WHERE t.kind = 'RETURN' AND t.sale_id = r.sale_id), r.amount, s.price) AS what
            FROM lead_returns r JOIN sales s ON s.id = r.sale_id
           WHERE (r.status = 'APPROVED' AND (s.status <> 'RETURNED' OR r.amount <> s.price
                  OR (SELECT count(*) FROM ledger_transactions t WHERE t.kind = 'RETURN' AND t.sale_id = r.sale_id) <> 1))
              OR (r.status = 'PENDING' AND s.status = 'RETURNED')
              OR (SELECT count(*) FROM lead_returns o WHERE o.sale_id = r.sale_id AND o.status IN ('PENDING', 'APPROVED')) > 1`,
  },
  {
    // a PENDING sale has taken the buyer's funds before its SALE transaction exists (the buyer may still refuse)
    name: "each buyer's balance equals its ledger entries (credits − debits) less the prices held by its PENDING sales",
    sql: `SELECT format('buyer %s (%s): balance %s, ledger %s, held by pending sales %s, difference %s',
                        b.id, b.name, b.balance, coalesce(l.net, 0), coalesce(h.held, 0), b.balance - (coalesce(l.net, 0) - coalesce(h.held, 0))) AS what
            FROM buyers b
            LEFT JOIN (SELECT account_id, sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS net
                         FROM ledger_entries WHERE account_type = 'BUYER' GROUP BY account_id) l ON l.account_id = b.id
            LEFT JOIN (SELECT buyer_id, sum(price) AS held FROM sales WHERE status = 'PENDING' GROUP BY buyer_id) h ON h.buyer_id = b.id
           WHERE b.balance <> coalesce(l.net, 0) - coalesce(h.held, 0)`,
  },
  {
    name: 'every BUYER and SUPPLIER entry names an existing account',
    sql: `SELECT format('%s entry %s names unknown account %s', e.account_type, e.id, e.account_id) AS what
            FROM ledger_entries e
           WHERE (e.account_type = 'BUYER' AND NOT EXISTS (SELECT 1 FROM buyers b WHERE b.id = e.account_id))
              OR (e.account_type = 'SUPPLIER' AND NOT EXISTS (SELECT 1 FROM suppliers s WHERE s.id = e.account_id))`,
  },
];

/** Runs every check; `limit` caps how many breaking rows each one lists (all are counted). */
export async function reconcileLedger(db: Queryable, limit = 20): Promise<ReconciliationReport> {
  const checks: ReconciliationCheck[] = [];
  const totals = (
    await db.query(`SELECT (SELECT count(*) FROM ledger_transactions)::int AS transactions, count(*)::int AS entries,
                           coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0)::text AS debits,
                           coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0)::text AS credits
                      FROM ledger_entries`)
  ).rows[0];
  checks.push({
    name: 'Σ debits = Σ credits over the whole ledger',
    ok: totals.debits === totals.credits,
    count: totals.debits === totals.credits ? 0 : 1,
    breaks: totals.debits === totals.credits ? [] : [`debits ${totals.debits} ≠ credits ${totals.credits}`],
  });
  for (const spec of CHECKS) {
    const { rows } = await db.query(`SELECT count(*) OVER ()::int AS n, what FROM (${spec.sql}) broken LIMIT ${Math.max(1, limit)}`);
    const count = rows.length ? rows[0].n : 0;
    checks.push({ name: spec.name, ok: count === 0, count, breaks: rows.map((r) => r.what) });
  }
  return { ok: checks.every((c) => c.ok), checks, totals };
}

/** The report as a person reads it: one line per check, the breaks under a failed one. */
export function formatReconciliation(report: ReconciliationReport): string {
  const t = report.totals;
  const lines = [`Ledger: ${t.transactions} transactions, ${t.entries} entries, debits ${t.debits}, credits ${t.credits}`];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : ` — ${c.count} break(s)`}`);
    for (const b of c.breaks) lines.push(`       ${b}`);
    if (c.count > c.breaks.length) lines.push(`       … and ${c.count - c.breaks.length} more`);
  }
  lines.push(report.ok ? 'RECONCILED: every check holds.' : `NOT RECONCILED: ${report.checks.filter((c) => !c.ok).length} check(s) broke.`);
  return lines.join('\n');
}
