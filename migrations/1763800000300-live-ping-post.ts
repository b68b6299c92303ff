import { MigrationInterface, QueryRunner } from 'typeorm';
import { SaleFunctions1763800000200 } from './1763800000200-sale-functions';

/**
 * Live ping-post: ping offers (the bids a ping was answered with, PII-free), the audit timeline,
 * buyer wire templates on campaigns, and two-phase sales — a PENDING hold (caps, funds and the
 * lead reserved, no ledger yet) while the buyer's post endpoint decides, then confirmed into a sale
 * with its ledger transaction, or released as if it had never been.
 */
export class LivePingPost1763800000300 implements MigrationInterface {
  name = 'LivePingPost1763800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE leads DROP CONSTRAINT leads_status_check;
      ALTER TABLE leads ADD CONSTRAINT leads_status_check
        CHECK (status IN ('processing', 'sold', 'unsold', 'duplicate', 'expired', 'mismatch'));

      ALTER TABLE campaigns
        ADD COLUMN template jsonb CHECK (template IS NULL OR jsonb_typeof(template) = 'object'),
        ADD COLUMN purchase_mode text NOT NULL DEFAULT 'EXCLUSIVE' CHECK (purchase_mode IN ('EXCLUSIVE', 'SHARED', 'BOTH')),
        ADD COLUMN weight int NOT NULL DEFAULT 1 CHECK (weight BETWEEN 0 AND 1000);
      DROP TRIGGER campaigns_notify ON campaigns;
      CREATE TRIGGER campaigns_notify AFTER INSERT OR DELETE OR UPDATE OF
        buyer_id, name, vertical_key, bid, status, priority, ping_url, post_url, timeout_ms,
        filters, caps, schedule, excluded_supplier_ids, template, purchase_mode, weight
        ON campaigns FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('id');

      ALTER TABLE sales DROP CONSTRAINT sales_status_check;
      ALTER TABLE sales ADD CONSTRAINT sales_status_check CHECK (status IN ('PENDING', 'SOLD', 'RETURNED'));
      ALTER TABLE sales
        ADD COLUMN bid_id text CHECK (length(bid_id) <= 255),
        ADD COLUMN cap_holds jsonb NOT NULL DEFAULT '[]';
      CREATE INDEX sales_pending_idx ON sales (sold_at) WHERE status = 'PENDING';

      CREATE TABLE ping_offers (
        id uuid PRIMARY KEY,
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        vertical_key text NOT NULL REFERENCES verticals(key),
        fields jsonb NOT NULL,
        source jsonb,
        test boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('bid', 'no_bid', 'posted')),
        price numeric(14,2) CHECK (price >= 0),
        bids jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(bids) = 'array'),
        expires_at timestamptz NOT NULL,
        lead_id uuid REFERENCES leads(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ping_offers_priced CHECK (status = 'no_bid' OR price IS NOT NULL),
        CONSTRAINT ping_offers_posted_lead CHECK ((status = 'posted') = (lead_id IS NOT NULL))
      );
      CREATE INDEX ping_offers_supplier_idx ON ping_offers (supplier_id, created_at DESC);
      ALTER TABLE leads ADD COLUMN ping_id uuid REFERENCES ping_offers(id);
      CREATE UNIQUE INDEX leads_one_per_ping ON leads (ping_id) WHERE ping_id IS NOT NULL;

      -- The audit timeline: every ping sent, bid, latency, outcome, post and buyer answer (pings PII-free).
      CREATE TABLE lead_events (
        id bigserial PRIMARY KEY,
        lead_id uuid REFERENCES leads(id),
        ping_id uuid REFERENCES ping_offers(id),
        campaign_id uuid REFERENCES campaigns(id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('ping', 'post', 'sale', 'note')),
        outcome text NOT NULL,
        latency_ms int CHECK (latency_ms >= 0),
        price numeric(14,2),
        detail jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lead_events_subject CHECK (lead_id IS NOT NULL OR ping_id IS NOT NULL)
      );
      CREATE INDEX lead_events_lead_idx ON lead_events (lead_id, id) WHERE lead_id IS NOT NULL;
      CREATE INDEX lead_events_ping_idx ON lead_events (ping_id, id) WHERE ping_id IS NOT NULL;

      DROP FUNCTION leadex_store_lead(uuid, uuid, text, text, boolean, jsonb, jsonb, jsonb, text, text, int, int, text, text[], text[]);
      DROP FUNCTION leadex_reserve_sale(uuid, uuid, uuid, uuid, uuid, numeric, numeric, numeric, jsonb, text[], jsonb);
    `);
    await this.recreateFunctions(q);
  }

  /** This migration's versions of the sale functions (also what a revert of the next one restores). */
  async recreateFunctions(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Stores a lead (now also for a post of a ping, and with an imposed status: expired, mismatch).
      CREATE FUNCTION leadex_store_lead(
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

      -- Phase one: reserve caps, the lead and the buyer's funds for a bid, as a PENDING sale (no ledger yet).
      -- Refusals: LX001 cap (DETAIL = period), LX002 lead no longer available, LX003 insufficient funds.
      CREATE FUNCTION leadex_hold_sale(
        p_sale uuid, p_lead uuid, p_campaign uuid, p_buyer uuid,
        p_price numeric, p_payout numeric, p_margin numeric, p_caps jsonb, p_bid_id text
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        c jsonb;
        v_max_leads int;
        v_max_spend numeric;
        v_supplier uuid;
        v_vertical text;
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

        UPDATE leads SET sales_count = sales_count + 1
         WHERE id = p_lead AND sales_count < max_sales AND status IN ('processing', 'sold')
         RETURNING supplier_id, vertical_key INTO v_supplier, v_vertical;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'lead no longer available' USING ERRCODE = 'LX002';
        END IF;

        INSERT INTO sales (id, lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status, bid_id, cap_holds)
        VALUES (p_sale, p_lead, p_campaign, p_buyer, v_supplier, v_vertical, p_price, p_payout, p_margin, 'PENDING', p_bid_id, p_caps);

        UPDATE buyers SET balance = balance - p_price
         WHERE id = p_buyer AND (credit_limit IS NULL OR balance - p_price >= -credit_limit);
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'LX003';
        END IF;
      END $$;

      -- Phase two: the held sale becomes a sale, with its balanced ledger transaction, the lead sold,
      -- the campaign's last win and the supplier's idempotent answer. LX004 if the hold is gone.
      CREATE FUNCTION leadex_confirm_sale(
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
        INSERT INTO ledger_transactions (id, kind, sale_id, lead_id, created_at) VALUES (p_ledger_txn, 'SALE', p_sale, s.lead_id, v_sold_at);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount, created_at) VALUES
          (p_ledger_txn, 'BUYER', s.buyer_id, 'DEBIT', s.price, v_sold_at),
          (p_ledger_txn, 'SUPPLIER', s.supplier_id, 'CREDIT', s.payout, v_sold_at),
          (p_ledger_txn, 'EXCHANGE_REVENUE', NULL, CASE WHEN s.margin < 0 THEN 'DEBIT' ELSE 'CREDIT' END, abs(s.margin), v_sold_at);
        UPDATE campaigns SET last_won_at = v_sold_at WHERE id = s.campaign_id;
        IF cardinality(p_idempotency_keys) > 0 AND p_response IS NOT NULL THEN
          UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = p_response
           WHERE supplier_id = s.supplier_id AND key = ANY(p_idempotency_keys);
        END IF;
        RETURN v_sold_at;
      END $$;

      -- The buyer refused (or never answered): the hold is undone as if it had never been.
      CREATE FUNCTION leadex_release_sale(p_sale uuid) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        s sales%ROWTYPE;
        c jsonb;
      BEGIN
        DELETE FROM sales WHERE id = p_sale AND status = 'PENDING' RETURNING * INTO s;
        IF NOT FOUND THEN
          RETURN false;
        END IF;
        FOR c IN SELECT value FROM jsonb_array_elements(s.cap_holds) LOOP
          UPDATE cap_counters SET leads_count = leads_count - 1, spend = spend - s.price
           WHERE campaign_id = s.campaign_id AND period = c->>'period' AND period_start = (c->>'periodStart')::timestamptz;
        END LOOP;
        UPDATE buyers SET balance = balance + s.price WHERE id = s.buyer_id;
        UPDATE leads SET sales_count = sales_count - 1 WHERE id = s.lead_id;
        RETURN true;
      END $$;

      -- Hold and confirm in one round trip, for a bid that needs no buyer answer (a fixed price without a post URL).
      CREATE FUNCTION leadex_reserve_sale(
        p_sale uuid, p_ledger_txn uuid, p_lead uuid, p_campaign uuid, p_buyer uuid,
        p_price numeric, p_payout numeric, p_margin numeric, p_caps jsonb,
        p_idempotency_keys text[], p_response jsonb, p_bid_id text DEFAULT NULL
      ) RETURNS timestamptz LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM leadex_hold_sale(p_sale, p_lead, p_campaign, p_buyer, p_price, p_payout, p_margin, p_caps, p_bid_id);
        RETURN leadex_confirm_sale(p_sale, p_ledger_txn, p_idempotency_keys, p_response);
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION leadex_reserve_sale(uuid, uuid, uuid, uuid, uuid, numeric, numeric, numeric, jsonb, text[], jsonb, text);
      DROP FUNCTION leadex_release_sale(uuid), leadex_confirm_sale(uuid, uuid, text[], jsonb),
        leadex_hold_sale(uuid, uuid, uuid, uuid, numeric, numeric, numeric, jsonb, text),
        leadex_store_lead(uuid, uuid, text, text, boolean, jsonb, jsonb, jsonb, text, text, int, int, text, text[], text[], uuid, text);
      DROP TABLE lead_events;
      ALTER TABLE leads DROP COLUMN ping_id;
      DROP TABLE ping_offers;
      DROP INDEX sales_pending_idx;
      ALTER TABLE sales DROP COLUMN cap_holds, DROP COLUMN bid_id;
      ALTER TABLE sales DROP CONSTRAINT sales_status_check;
      ALTER TABLE sales ADD CONSTRAINT sales_status_check CHECK (status IN ('SOLD', 'RETURNED'));
      ALTER TABLE leads DROP CONSTRAINT leads_status_check;
      ALTER TABLE leads ADD CONSTRAINT leads_status_check CHECK (status IN ('processing', 'sold', 'unsold', 'duplicate'));
      DROP TRIGGER campaigns_notify ON campaigns;
      ALTER TABLE campaigns DROP COLUMN template, DROP COLUMN purchase_mode, DROP COLUMN weight;
      CREATE TRIGGER campaigns_notify AFTER INSERT OR DELETE OR UPDATE OF
        buyer_id, name, vertical_key, bid, status, priority, ping_url, post_url, timeout_ms,
        filters, caps, schedule, excluded_supplier_ids
        ON campaigns FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('id');
    `);
    await new SaleFunctions1763800000200().up(q); // the one-phase functions this migration replaced
  }
}
