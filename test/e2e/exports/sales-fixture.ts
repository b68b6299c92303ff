import type { Client } from 'pg';
import { insertPortalSale, portalUnique } from '../../../libs/testing/src/portal-factories';

/**
 * Arranges sales the way the exchange leaves them: a lead (with its state and sub_id) then its sale and
 * balanced ledger transaction; a return is approved through the ledger's own function (migration 800).
 */
export async function soldLead(
  db: Client,
  o: { supplierId: string; buyerId: string; campaignId: string; price: string; soldAt: string; state?: string; subId?: string | null; vertical?: string; status?: 'SOLD' | 'PENDING' },
): Promise<{ leadId: string; saleId: string }> {
  const leadId = await insertLead(db, { ...o, status: undefined, createdAt: new Date(Date.parse(o.soldAt) - 60_000).toISOString() });
  const saleId = await insertPortalSale(db, { ...o, leadId, soldAt: new Date(o.soldAt), status: o.status ?? 'SOLD' });
  return { leadId, saleId };
}

/** A lead as intake stores it: its state in fields, the supplier's sub_id in source. */
export async function insertLead(
  db: Client,
  o: { supplierId: string; createdAt: string; state?: string; subId?: string | null; vertical?: string; status?: string },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO leads (supplier_id, vertical_key, status, fields, consent, source, created_at)
     VALUES ($1, $2, $3, $4, '{"tcpa":true}', $5, $6) RETURNING id`,
    [
      o.supplierId,
      o.vertical ?? 'auto-insurance',
      o.status ?? 'processing',
      JSON.stringify({ first_name: 'Bo', last_name: 'Lee', email: `${portalUnique('bo')}@example.com`, phone: '+13055550199', zip: '33101', state: o.state ?? 'FL', age: 34 }),
      o.subId === null ? null : JSON.stringify({ sub_id: o.subId ?? 'sub-1' }),
      o.createdAt,
    ],
  );
  return rows[0].id;
}

/** A buyer's return of a sale, approved: the sale RETURNED with its reversing ledger transaction. */
export async function approvedReturn(db: Client, saleId: string, reason = 'INVALID_PHONE'): Promise<void> {
  const { rows } = await db.query(
    `INSERT INTO lead_returns (id, sale_id, lead_id, buyer_id, campaign_id, supplier_id, reason, amount)
     SELECT gen_random_uuid(), id, lead_id, buyer_id, campaign_id, supplier_id, $2, price FROM sales WHERE id = $1 RETURNING id`,
    [saleId, reason],
  );
  await db.query(`SELECT leadex_approve_return($1, NULL, 'approved in a test')`, [rows[0].id]);
}

/** A minimal RFC 4180 reader for asserting on exported files. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
