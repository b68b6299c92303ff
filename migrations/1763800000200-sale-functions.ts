import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two writes of the hot path as server-side functions, so each is one round trip and one
 * implicit transaction instead of five: on a busy exchange the time went to BEGIN/COMMIT and
 * statement round trips, not to the work itself. The rules are the same conditional statements
 * the application used to send one by one; a refusal raises a Leadex SQLSTATE (LX…), which rolls
 * the whole statement back, so nothing is half-written.
 */
export class SaleFunctions1763800000200 implements MigrationInterface {
  name = 'SaleFunctions1763800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Stores a lead and decides whether it is a duplicate. p_lock_keys must be sorted by the caller:
      -- copies of one contact serialize on advisory locks taken in one order (no deadlock), and the
      -- duplicate check runs after the locks, on a fresh snapshot, so it sees a copy that just committed.
      CREATE FUNCTION leadex_store_lead(
        p_id uuid, p_supplier uuid, p_vertical text, p_external_id text, p_test boolean,
        p_fields jsonb, p_consent jsonb, p_source jsonb, p_phone text, p_email text,
        p_window_days int, p_max_sales int, p_request_hash text, p_lock_keys text[], p_idempotency_keys text[]
      ) RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE
        k text;
        v_duplicate_of uuid;
        v_status text;
        v_response jsonb;
      BEGIN
        IF cardinality(p_lock_keys) > 0 THEN
          FOREACH k IN ARRAY p_lock_keys LOOP
            PERFORM pg_advisory_xact_lock(hashtextextended(k, 0));
          END LOOP;
          SELECT id INTO v_duplicate_of FROM leads
           WHERE vertical_key = p_vertical AND NOT test AND status <> 'duplicate'
             AND created_at > now() - make_interval(days => p_window_days)
             AND (phone_key = p_phone OR email_key = p_email)
           ORDER BY created_at LIMIT 1;
        END IF;
        v_status := CASE WHEN v_duplicate_of IS NOT NULL THEN 'duplicate' WHEN p_test THEN 'unsold' ELSE 'processing' END;
        IF v_status <> 'processing' THEN
          v_response := jsonb_build_object('lead_id', p_id, 'status', v_status, 'sales', 0);
        END IF;
        INSERT INTO leads (id, supplier_id, vertical_key, external_id, test, status, fields, consent, source,
                           phone_key, email_key, duplicate_of, max_sales, request_hash, response)
        VALUES (p_id, p_supplier, p_vertical, p_external_id, p_test, v_status, p_fields, p_consent, p_source,
                p_phone, p_email, v_duplicate_of, p_max_sales, p_request_hash, v_response);
        IF cardinality(p_idempotency_keys) > 0 THEN
          UPDATE idempotency_keys
             SET lead_id = p_id,
                 state = CASE WHEN v_response IS NULL THEN state ELSE 'done' END,
                 response_status = CASE WHEN v_response IS NULL THEN NULL ELSE 200 END,
                 response_body = v_response
           WHERE supplier_id = p_supplier AND key = ANY(p_idempotency_keys);
        END IF;
        RETURN v_duplicate_of;
      END $$;

      -- Reserves a lead for one bid: each cap of the campaign (conditional upsert of its counter),
      -- the lead (sales_count < max_sales), the sale and its balanced ledger transaction, the
      -- campaign's last win, the idempotent answer, and last the buyer's funds (its row is the most
      -- contended, so its lock is held the shortest). Refusals: LX001 cap (DETAIL = period),
      -- LX002 lead no longer available, LX003 insufficient funds.
      CREATE FUNCTION leadex_reserve_sale(
        p_sale uuid, p_ledger_txn uuid, p_lead uuid, p_campaign uuid, p_buyer uuid,
        p_price numeric, p_payout numeric, p_margin numeric, p_caps jsonb,
        p_idempotency_keys text[], p_response jsonb
      ) RETURNS timestamptz LANGUAGE plpgsql AS $$
      DECLARE
        c jsonb;
        v_max_leads int;
        v_max_spend numeric;
        v_supplier uuid;
        v_vertical text;
        v_sold_at timestamptz := now();
      BEGIN
        FOR c IN SELECT value FROM jsonb_array_elements(p_caps) LOOP
          v_max_leads := (c->>'maxLeads')::int;
          v_max_spend := (c->>'maxSpend')::numeric;
          INSERT INTO cap_counters AS cc (campaign_id, period, period_start, leads_count, spend, max_leads, max_spend)
          SELECT p_campaign, c->>'period', (c->>'periodStart')::timestamptz, 1, p_price, v_max_leads, v_max_spend
           WHERE (v_max_leads IS NULL OR v_max_leads >= 1) AND (v_max_spend IS NULL OR p_price <= v_max_spend)
          ON CONFLICT (campaign_id, period, period_start) DO UPDATE
             SET leads_count = cc.leads_count + 1, spend = cc.spend + EXCLUDED.spend,
                 max_leads = EXCLUDED.max_leads, max_spend = EXCLUDED.max_spend
           WHERE (v_max_leads IS NULL OR cc.leads_count < v_max_leads)
             AND (v_max_spend IS NULL OR cc.spend + EXCLUDED.spend <= v_max_spend);
          IF NOT FOUND THEN
            RAISE EXCEPTION 'cap reached' USING ERRCODE = 'LX001', DETAIL = c->>'period';
          END IF;
        END LOOP;

        UPDATE leads SET status = 'sold', sales_count = sales_count + 1, payout_total = payout_total + p_payout,
                         price_total = price_total + p_price, sold_at = coalesce(sold_at, v_sold_at), response = p_response
         WHERE id = p_lead AND sales_count < max_sales AND status IN ('processing', 'sold')
         RETURNING supplier_id, vertical_key INTO v_supplier, v_vertical;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'lead no longer available' USING ERRCODE = 'LX002';
        END IF;

        INSERT INTO sales (id, lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, sold_at)
        VALUES (p_sale, p_lead, p_campaign, p_buyer, v_supplier, v_vertical, p_price, p_payout, p_margin, v_sold_at);
        INSERT INTO ledger_transactions (id, kind, sale_id, lead_id, created_at) VALUES (p_ledger_txn, 'SALE', p_sale, p_lead, v_sold_at);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount, created_at) VALUES
          (p_ledger_txn, 'BUYER', p_buyer, 'DEBIT', p_price, v_sold_at),
          (p_ledger_txn, 'SUPPLIER', v_supplier, 'CREDIT', p_payout, v_sold_at),
          (p_ledger_txn, 'EXCHANGE_REVENUE', NULL, CASE WHEN p_margin < 0 THEN 'DEBIT' ELSE 'CREDIT' END, abs(p_margin), v_sold_at);
        UPDATE campaigns SET last_won_at = v_sold_at WHERE id = p_campaign;
        IF cardinality(p_idempotency_keys) > 0 THEN
          UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = p_response
           WHERE supplier_id = v_supplier AND key = ANY(p_idempotency_keys);
        END IF;

        UPDATE buyers SET balance = balance - p_price
         WHERE id = p_buyer AND (credit_limit IS NULL OR balance - p_price >= -credit_limit);
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'LX003';
        END IF;
        RETURN v_sold_at;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS leadex_reserve_sale, leadex_store_lead`);
  }
}
