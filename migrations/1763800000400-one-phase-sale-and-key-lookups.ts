import { MigrationInterface, QueryRunner } from 'typeorm';
import { LivePingPost1763800000300 } from './1763800000300-live-ping-post';

/**
 * Two findings of the bench (docs/PERFORMANCE.md):
 * - `key = ANY(array)` inside the functions ran on a cached generic plan that scanned every key of
 *   the supplier (external_id keys are kept forever), so each lead got slower as keys piled up.
 *   Keys are now updated one by one, by equality on the whole primary key.
 * - A sale that needs no buyer answer paid for the two-phase path (a PENDING row rewritten, the lead
 *   updated twice). It is one phase again; the cap counting and the ledger lines are shared helpers,
 *   so the one-phase and two-phase sales cannot drift apart.
 */
export class OnePhaseSaleAndKeyLookups1763800000400 implements MigrationInterface {
  name = 'OnePhaseSaleAndKeyLookups1763800000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Marks a supplier's idempotency keys answered (response NULL: only links the lead).
      CREATE FUNCTION leadex_answer_keys(p_supplier uuid, p_keys text[], p_lead uuid, p_response jsonb) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE k text;
      BEGIN
        FOREACH k IN ARRAY coalesce(p_keys, '{}') LOOP
          UPDATE idempotency_keys
             SET lead_id = coalesce(p_lead, lead_id),
                 state = CASE WHEN p_response IS NULL THEN state ELSE 'done' END,
                 response_status = CASE WHEN p_response IS NULL THEN response_status ELSE 200 END,
                 response_body = coalesce(p_response, response_body)
           WHERE supplier_id = p_supplier AND key = k;
        END LOOP;
      END $$;

      -- Counts a sale against each cap of its campaign; LX001 (DETAIL = period) when one is full.
      CREATE FUNCTION leadex_count_caps(p_campaign uuid, p_price numeric, p_caps jsonb) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        c jsonb;
        v_max_leads int;
        v_max_spend numeric;
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
      END $$;

      -- The balanced ledger transaction of a sale: buyer debit = price, supplier credit = payout, margin.
      CREATE FUNCTION leadex_sale_ledger(
        p_txn uuid, p_sale uuid, p_lead uuid, p_buyer uuid, p_supplier uuid, p_price numeric, p_payout numeric, p_margin numeric, p_at timestamptz
      ) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_transactions (id, kind, sale_id, lead_id, created_at) VALUES (p_txn, 'SALE', p_sale, p_lead, p_at);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount, created_at) VALUES
          (p_txn, 'BUYER', p_buyer, 'DEBIT', p_price, p_at),
          (p_txn, 'SUPPLIER', p_supplier, 'CREDIT', p_payout, p_at),
          (p_txn, 'EXCHANGE_REVENUE', NULL, CASE WHEN p_margin < 0 THEN 'DEBIT' ELSE 'CREDIT' END, abs(p_margin), p_at);
      END $$;

      -- Takes funds from a buyer within its credit limit; LX003 when it has not enough.
      CREATE FUNCTION leadex_take_funds(p_buyer uuid, p_price numeric) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE buyers SET balance = balance - p_price
         WHERE id = p_buyer AND (credit_limit IS NULL OR balance - p_price >= -credit_limit);
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'LX003';
        END IF;
      END $$;

      CREATE OR REPLACE FUNCTION leadex_store_lead(
        p_id uuid, p_supplier uuid, p_vertical text, p_external_id text, p_test boolean,
        p_fields jsonb, p_consent jsonb, p_source jsonb, p_phone text, p_email text,
        p_window_days int, p_max_sales int, p_request_hash text, p_lock_keys text[], p_idempotency_keys text[],
        p_ping uuid DEFAULT NULL, p_status text DEFAULT NULL
      ) RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE
        k text;
        v_duplicate_of uuid;
        v_status text;
        v_response jsonb;
      BEGIN
        IF p_status IS NULL AND cardinality(p_lock_keys) > 0 THEN
          FOREACH k IN ARRAY p_lock_keys LOOP
            PERFORM pg_advisory_xact_lock(hashtextextended(k, 0));
          END LOOP;
          SELECT id INTO v_duplicate_of FROM leads
           WHERE vertical_key = p_vertical AND NOT test AND status NOT IN ('duplicate', 'expired', 'mismatch')
             AND created_at > now() - make_interval(days => p_window_days)
             AND (phone_key = p_phone OR email_key = p_email)
           ORDER BY created_at LIMIT 1;
        END IF;
        v_status := CASE WHEN p_status IS NOT NULL THEN p_status WHEN v_duplicate_of IS NOT NULL THEN 'duplicate'
                         WHEN p_test THEN 'unsold' ELSE 'processing' END;
        IF v_status <> 'processing' THEN
          v_response := jsonb_build_object('lead_id', p_id, 'status', v_status, 'sales', 0);
        END IF;
        INSERT INTO leads (id, supplier_id, vertical_key, external_id, test, status, fields, consent, source,
                           phone_key, email_key, duplicate_of, max_sales, request_hash, response, ping_id)
        VALUES (p_id, p_supplier, p_vertical, p_external_id, p_test, v_status, p_fields, p_consent, p_source,
                p_phone, p_email, v_duplicate_of, p_max_sales, p_request_hash, v_response, p_ping);
        IF p_ping IS NOT NULL THEN
          UPDATE ping_offers SET status = 'posted', lead_id = p_id WHERE id = p_ping AND status <> 'posted';
          IF NOT FOUND THEN
            RAISE EXCEPTION 'ping % was already posted', p_ping USING ERRCODE = 'LX005';
          END IF;
        END IF;
        PERFORM leadex_answer_keys(p_supplier, p_idempotency_keys, p_id, v_response);
        RETURN v_duplicate_of;
      END $$;

      CREATE OR REPLACE FUNCTION leadex_hold_sale(
        p_sale uuid, p_lead uuid, p_campaign uuid, p_buyer uuid,
        p_price numeric, p_payout numeric, p_margin numeric, p_caps jsonb, p_bid_id text
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_supplier uuid;
        v_vertical text;
      BEGIN
        PERFORM leadex_count_caps(p_campaign, p_price, p_caps);
        UPDATE leads SET sales_count = sales_count + 1
         WHERE id = p_lead AND sales_count < max_sales AND status IN ('processing', 'sold')
         RETURNING supplier_id, vertical_key INTO v_supplier, v_vertical;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'lead no longer available' USING ERRCODE = 'LX002';
        END IF;
        INSERT INTO sales (id, lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status, bid_id, cap_holds)
        VALUES (p_sale, p_lead, p_campaign, p_buyer, v_supplier, v_vertical, p_price, p_payout, p_margin, 'PENDING', p_bid_id, p_caps);
        PERFORM leadex_take_funds(p_buyer, p_price);
      END $$;

      CREATE OR REPLACE FUNCTION leadex_confirm_sale(
        p_sale uuid, p_ledger_txn uuid, p_idempotency_keys text[], p_response jsonb
      ) RETURNS timestamptz LANGUAGE plpgsql AS $$
      DECLARE
        s sales%ROWTYPE;
        v_sold_at timestamptz := now();
      BEGIN
        UPDATE sales SET status = 'SOLD', sold_at = v_sold_at WHERE id = p_sale AND status = 'PENDING' RETURNING * INTO s;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'no pending sale %', p_sale USING ERRCODE = 'LX004';
        END IF;
        UPDATE leads SET status = 'sold', payout_total = payout_total + s.payout, price_total = price_total + s.price,
                         sold_at = coalesce(sold_at, v_sold_at), response = coalesce(p_response, response)
         WHERE id = s.lead_id;
        PERFORM leadex_sale_ledger(p_ledger_txn, p_sale, s.lead_id, s.buyer_id, s.supplier_id, s.price, s.payout, s.margin, v_sold_at);
        UPDATE campaigns SET last_won_at = v_sold_at WHERE id = s.campaign_id;
        IF p_response IS NOT NULL THEN
          PERFORM leadex_answer_keys(s.supplier_id, p_idempotency_keys, NULL, p_response);
        END IF;
        RETURN v_sold_at;
      END $$;

      -- One phase, for a bid that needs no buyer answer: caps, the lead, the sale and its ledger, the
      -- campaign's last win, the answer, and last the buyer's funds (its row is the most contended).
      CREATE OR REPLACE FUNCTION leadex_reserve_sale(
        p_sale uuid, p_ledger_txn uuid, p_lead uuid, p_campaign uuid, p_buyer uuid,
        p_price numeric, p_payout numeric, p_margin numeric, p_caps jsonb,
        p_idempotency_keys text[], p_response jsonb, p_bid_id text DEFAULT NULL
      ) RETURNS timestamptz LANGUAGE plpgsql AS $$
      DECLARE
        v_supplier uuid;
        v_vertical text;
        v_sold_at timestamptz := now();
      BEGIN
        PERFORM leadex_count_caps(p_campaign, p_price, p_caps);
        UPDATE leads SET status = 'sold', sales_count = sales_count + 1, payout_total = payout_total + p_payout,
                         price_total = price_total + p_price, sold_at = coalesce(sold_at, v_sold_at), response = p_response
         WHERE id = p_lead AND sales_count < max_sales AND status IN ('processing', 'sold')
         RETURNING supplier_id, vertical_key INTO v_supplier, v_vertical;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'lead no longer available' USING ERRCODE = 'LX002';
        END IF;
        INSERT INTO sales (id, lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, sold_at, bid_id, cap_holds)
        VALUES (p_sale, p_lead, p_campaign, p_buyer, v_supplier, v_vertical, p_price, p_payout, p_margin, v_sold_at, p_bid_id, p_caps);
        PERFORM leadex_sale_ledger(p_ledger_txn, p_sale, p_lead, p_buyer, v_supplier, p_price, p_payout, p_margin, v_sold_at);
        UPDATE campaigns SET last_won_at = v_sold_at WHERE id = p_campaign;
        PERFORM leadex_answer_keys(v_supplier, p_idempotency_keys, NULL, p_response);
        PERFORM leadex_take_funds(p_buyer, p_price);
        RETURN v_sold_at;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION leadex_reserve_sale(uuid, uuid, uuid, uuid, uuid, numeric, numeric, numeric, jsonb, text[], jsonb, text);
      DROP FUNCTION leadex_confirm_sale(uuid, uuid, text[], jsonb);
      DROP FUNCTION leadex_hold_sale(uuid, uuid, uuid, uuid, numeric, numeric, numeric, jsonb, text);
      DROP FUNCTION leadex_store_lead(uuid, uuid, text, text, boolean, jsonb, jsonb, jsonb, text, text, int, int, text, text[], text[], uuid, text);
      DROP FUNCTION leadex_release_sale(uuid);
      DROP FUNCTION leadex_take_funds(uuid, numeric), leadex_sale_ledger(uuid, uuid, uuid, uuid, uuid, numeric, numeric, numeric, timestamptz),
        leadex_count_caps(uuid, numeric, jsonb), leadex_answer_keys(uuid, text[], uuid, jsonb);
    `);
    await new LivePingPost1763800000300().recreateFunctions(q); // the versions this migration replaced
  }
}
