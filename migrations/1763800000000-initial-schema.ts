import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange's schema. Every rule that concurrency could break (caps, credit limits,
 * one sale per buyer per lead, balanced ledger transactions) is also a constraint here,
 * so the application check and the database back each other up.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE verticals (
        key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        schema jsonb NOT NULL CHECK (jsonb_typeof(schema) = 'object'),
        max_sales int NOT NULL DEFAULT 1 CHECK (max_sales BETWEEN 1 AND 20),
        duplicate_window_days int NOT NULL DEFAULT 30 CHECK (duplicate_window_days >= 0),
        return_window_days int NOT NULL DEFAULT 7 CHECK (return_window_days >= 0),
        floor_price numeric(14,2) NOT NULL DEFAULT 0 CHECK (floor_price >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE suppliers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        api_key_hash text NOT NULL UNIQUE,
        api_key_prefix text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED')),
        payout_percent numeric(7,4) NOT NULL DEFAULT 70 CHECK (payout_percent >= 0 AND payout_percent <= 100),
        fixed_payout numeric(14,2) CHECK (fixed_payout >= 0),
        allowed_verticals text[],
        blocked_buyer_ids uuid[] NOT NULL DEFAULT '{}',
        rate_limit_per_sec int CHECK (rate_limit_per_sec > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE buyers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        credit_limit numeric(14,2) CHECK (credit_limit >= 0),
        balance numeric(14,2) NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT buyers_within_credit_limit CHECK (credit_limit IS NULL OR balance >= -credit_limit)
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('ADMIN', 'FINANCE', 'BUYER')),
        buyer_id uuid REFERENCES buyers(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_buyer_role CHECK ((role = 'BUYER') = (buyer_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX users_email_key ON users (email);

      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        vertical_key text NOT NULL REFERENCES verticals(key),
        bid numeric(14,2) CHECK (bid >= 0),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED')),
        priority int NOT NULL DEFAULT 0,
        ping_url text,
        post_url text,
        timeout_ms int CHECK (timeout_ms BETWEEN 10 AND 10000),
        filters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(filters) = 'array'),
        caps jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(caps) = 'array'),
        schedule jsonb,
        excluded_supplier_ids uuid[] NOT NULL DEFAULT '{}',
        last_won_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaigns_priced CHECK (bid IS NOT NULL OR ping_url IS NOT NULL)
      );
      CREATE INDEX campaigns_buyer_idx ON campaigns (buyer_id);
      CREATE INDEX campaigns_vertical_idx ON campaigns (vertical_key);

      CREATE TABLE leads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        vertical_key text NOT NULL REFERENCES verticals(key),
        external_id text CHECK (length(external_id) <= 255),
        test boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('processing', 'sold', 'unsold', 'duplicate')),
        fields jsonb NOT NULL,
        consent jsonb,
        source jsonb,
        phone_key text,
        email_key text,
        duplicate_of uuid REFERENCES leads(id),
        max_sales int NOT NULL DEFAULT 1 CHECK (max_sales >= 1),
        sales_count int NOT NULL DEFAULT 0,
        payout_total numeric(14,2) NOT NULL DEFAULT 0 CHECK (payout_total >= 0),
        price_total numeric(14,2) NOT NULL DEFAULT 0 CHECK (price_total >= 0),
        request_hash text,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sold_at timestamptz,
        CONSTRAINT leads_sales_within_max CHECK (sales_count >= 0 AND sales_count <= max_sales),
        CONSTRAINT leads_duplicate_has_original CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL))
      );
      CREATE UNIQUE INDEX leads_supplier_external_id_key ON leads (supplier_id, external_id) WHERE external_id IS NOT NULL;
      CREATE INDEX leads_phone_dup_idx ON leads (vertical_key, phone_key, created_at) WHERE phone_key IS NOT NULL;
      CREATE INDEX leads_email_dup_idx ON leads (vertical_key, email_key, created_at) WHERE email_key IS NOT NULL;
      CREATE INDEX leads_supplier_created_idx ON leads (supplier_id, created_at DESC);

      CREATE TABLE sales (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lead_id uuid NOT NULL REFERENCES leads(id),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        vertical_key text NOT NULL REFERENCES verticals(key),
        price numeric(14,2) NOT NULL CHECK (price >= 0),
        payout numeric(14,2) NOT NULL CHECK (payout >= 0),
        margin numeric(14,2) NOT NULL,
        status text NOT NULL DEFAULT 'SOLD' CHECK (status IN ('SOLD', 'RETURNED')),
        sold_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sales_balance CHECK (price = payout + margin)
      );
      CREATE UNIQUE INDEX sales_lead_buyer_key ON sales (lead_id, buyer_id);
      CREATE INDEX sales_buyer_sold_idx ON sales (buyer_id, sold_at DESC, id DESC);
      CREATE INDEX sales_campaign_sold_idx ON sales (campaign_id, sold_at);
      CREATE INDEX sales_sold_at_idx ON sales (sold_at);

      CREATE TABLE cap_counters (
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        period text NOT NULL CHECK (period IN ('HOUR', 'DAY', 'WEEK', 'MONTH', 'TOTAL')),
        period_start timestamptz NOT NULL,
        leads_count int NOT NULL DEFAULT 0 CHECK (leads_count >= 0),
        spend numeric(14,2) NOT NULL DEFAULT 0 CHECK (spend >= 0),
        max_leads int CHECK (max_leads >= 0),
        max_spend numeric(14,2) CHECK (max_spend >= 0),
        PRIMARY KEY (campaign_id, period, period_start),
        CONSTRAINT cap_counters_leads_within_cap CHECK (max_leads IS NULL OR leads_count <= max_leads),
        CONSTRAINT cap_counters_spend_within_cap CHECK (max_spend IS NULL OR spend <= max_spend)
      );

      CREATE TABLE ledger_transactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('SALE', 'DEPOSIT', 'RETURN', 'ADJUSTMENT')),
        sale_id uuid REFERENCES sales(id),
        lead_id uuid REFERENCES leads(id),
        memo text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_sale_has_sale CHECK (kind <> 'SALE' OR sale_id IS NOT NULL)
      );
      CREATE UNIQUE INDEX ledger_one_transaction_per_sale ON ledger_transactions (sale_id) WHERE kind = 'SALE';

      CREATE TABLE ledger_entries (
        id bigserial PRIMARY KEY,
        transaction_id uuid NOT NULL REFERENCES ledger_transactions(id),
        account_type text NOT NULL CHECK (account_type IN ('BUYER', 'SUPPLIER', 'EXCHANGE_REVENUE', 'CASH')),
        account_id uuid,
        direction text NOT NULL CHECK (direction IN ('DEBIT', 'CREDIT')),
        amount numeric(14,2) NOT NULL CHECK (amount >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_entries_account CHECK ((account_type IN ('BUYER', 'SUPPLIER')) = (account_id IS NOT NULL))
      );
      CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);
      CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_type, account_id);

      -- A ledger transaction must balance when its database transaction commits.
      CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE debits numeric; credits numeric;
      BEGIN
        SELECT coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0),
               coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0)
          INTO debits, credits FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
        IF debits <> credits THEN
          RAISE EXCEPTION 'ledger transaction % is unbalanced: debits % <> credits %', NEW.transaction_id, debits, credits
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

      -- The ledger is append-only: a correction is a new, reversing transaction.
      CREATE FUNCTION ledger_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
      CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
        FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();

      CREATE TABLE idempotency_keys (
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        key text NOT NULL CHECK (length(key) <= 300),
        endpoint text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done')),
        response_status int,
        response_body jsonb,
        lead_id uuid REFERENCES leads(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (supplier_id, key),
        CONSTRAINT idempotency_done_has_response CHECK (state = 'running' OR response_body IS NOT NULL)
      );
      CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

      -- Every exchange process listens on this channel and reloads what changed within a second.
      CREATE FUNCTION leadex_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('leadex_changes', TG_TABLE_NAME || ':' ||
          coalesce(to_jsonb(NEW) ->> TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[0], ''));
        RETURN NULL;
      END $$;
      CREATE TRIGGER campaigns_notify AFTER INSERT OR DELETE OR UPDATE OF
        buyer_id, name, vertical_key, bid, status, priority, ping_url, post_url, timeout_ms,
        filters, caps, schedule, excluded_supplier_ids
        ON campaigns FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('id');
      CREATE TRIGGER suppliers_notify AFTER INSERT OR DELETE OR UPDATE OF
        name, api_key_hash, status, payout_percent, fixed_payout, allowed_verticals, blocked_buyer_ids, rate_limit_per_sec
        ON suppliers FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('id');
      CREATE TRIGGER buyers_notify AFTER INSERT OR DELETE OR UPDATE OF credit_limit
        ON buyers FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('id');
      CREATE TRIGGER verticals_notify AFTER INSERT OR DELETE OR UPDATE
        ON verticals FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('key');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS idempotency_keys, ledger_entries, ledger_transactions, cap_counters, sales, leads,
        campaigns, users, buyers, suppliers, verticals CASCADE;
      DROP FUNCTION IF EXISTS leadex_notify_change(), ledger_forbid_change(), ledger_check_balanced();
    `);
  }
}
