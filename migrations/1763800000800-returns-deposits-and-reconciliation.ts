import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money after the sale: deposits, returns and low-balance notices, each one PL/pgSQL function so the
 * ledger, the maintained balance and the sale change in one statement's transaction or not at all.
 * - `lead_returns`: a buyer's request to give a bought lead back. A unique index allows one PENDING or
 *   APPROVED return per sale (a REJECTED one may be asked again), and `ledger_one_return_per_sale`
 *   allows one RETURN ledger transaction per sale, so a sale can never be refunded twice.
 * - An approved return reverses the sale exactly: BUYER CREDIT price, SUPPLIER DEBIT payout,
 *   EXCHANGE_REVENUE DEBIT margin (CREDIT when the margin was negative); the buyer's balance rises by
 *   the price, the sale becomes RETURNED (the 700 outbox trigger then writes the supplier's postback),
 *   and the lead's totals drop. The lead keeps its sales_count: a returned lead is not sold again.
 * - Optional rules: `verticals.return_auto_approve_reasons` (reasons approved on request) and
 *   `buyers.max_return_percent` (falls back to the portal's RETURN_RATE_MAX_PERCENT).
 * - LOW_BALANCE: a BEFORE trigger on buyers notices when available funds (balance + credit limit)
 *   fall under the buyer's `low_balance_threshold`; `low_balance_since` marks the episode, so it is
 *   told once until the funds rise above the threshold again.
 * Custom SQLSTATEs: LXR01 not found, LXR02 window closed, LXR03 already returned/decided,
 * LXR04 return rate exceeded, LXM01 bad amount, LXM02 unknown buyer.
 */
export class ReturnsDepositsAndReconciliation1763800000800 implements MigrationInterface {
  name = 'ReturnsDepositsAndReconciliation1763800000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sales ADD COLUMN returned_at timestamptz;
      ALTER TABLE sales ADD CONSTRAINT sales_returned_has_time CHECK ((status = 'RETURNED') = (returned_at IS NOT NULL));
      -- a sale marked RETURNED without a time (older code, hand-made fixtures) is stamped now rather than refused
      CREATE FUNCTION leadex_sale_returned_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.returned_at := now();
        RETURN NEW;
      END $$;
      CREATE TRIGGER sales_returned_at BEFORE INSERT OR UPDATE OF status ON sales FOR EACH ROW
        WHEN (NEW.status = 'RETURNED' AND NEW.returned_at IS NULL) EXECUTE FUNCTION leadex_sale_returned_at();

      ALTER TABLE verticals ADD COLUMN return_auto_approve_reasons text[] NOT NULL DEFAULT '{}'
        CONSTRAINT verticals_return_auto_approve_reasons_known CHECK (
          return_auto_approve_reasons <@ ARRAY['INVALID_PHONE', 'INVALID_EMAIL', 'DUPLICATE', 'NOT_IN_MARKET', 'FRAUD', 'OTHER']);
      ALTER TABLE buyers
        ADD COLUMN max_return_percent numeric(7,4) CHECK (max_return_percent >= 0 AND max_return_percent <= 100),
        ADD COLUMN low_balance_threshold numeric(14,2) CHECK (low_balance_threshold >= 0),
        ADD COLUMN low_balance_since timestamptz;

      CREATE TABLE lead_returns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sale_id uuid NOT NULL REFERENCES sales(id),
        lead_id uuid NOT NULL REFERENCES leads(id),
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        reason text NOT NULL CHECK (reason IN ('INVALID_PHONE', 'INVALID_EMAIL', 'DUPLICATE', 'NOT_IN_MARKET', 'FRAUD', 'OTHER')),
        note text CHECK (length(note) <= 1000),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
        amount numeric(14,2) NOT NULL CHECK (amount >= 0),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid REFERENCES users(id),
        decision_note text CHECK (length(decision_note) <= 1000),
        CONSTRAINT lead_returns_decided_has_time CHECK ((status = 'PENDING') = (decided_at IS NULL))
      );
      CREATE UNIQUE INDEX lead_returns_one_live_per_sale ON lead_returns (sale_id) WHERE status IN ('PENDING', 'APPROVED');
      CREATE INDEX lead_returns_buyer_idx ON lead_returns (buyer_id, requested_at DESC, id DESC);
      CREATE INDEX lead_returns_requested_idx ON lead_returns (requested_at DESC, id DESC);
      CREATE INDEX lead_returns_pending_idx ON lead_returns (requested_at) WHERE status = 'PENDING';

      ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_return_has_sale CHECK (kind <> 'RETURN' OR sale_id IS NOT NULL);
      CREATE UNIQUE INDEX ledger_one_return_per_sale ON ledger_transactions (sale_id) WHERE kind = 'RETURN';
      -- supplier statements read a supplier's entries over a period
      CREATE INDEX ledger_entries_account_time_idx ON ledger_entries (account_type, account_id, created_at);

      -- A deposit: cash in, the buyer credited; the ledger and the maintained balance together.
      CREATE FUNCTION leadex_record_deposit(p_txn uuid, p_buyer uuid, p_amount numeric, p_reference text) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_amount IS NULL OR p_amount <= 0 THEN
          RAISE EXCEPTION 'a deposit must be more than zero' USING ERRCODE = 'LXM01';
        END IF;
        UPDATE buyers SET balance = balance + p_amount, updated_at = now() WHERE id = p_buyer;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'buyer % not found', p_buyer USING ERRCODE = 'LXM02';
        END IF;
        INSERT INTO ledger_transactions (id, kind, memo) VALUES (p_txn, 'DEPOSIT', p_reference);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount) VALUES
          (p_txn, 'CASH', NULL, 'DEBIT', p_amount),
          (p_txn, 'BUYER', p_buyer, 'CREDIT', p_amount);
      END $$;

      -- Approves a PENDING return: the sale reversed in the ledger, the buyer refunded, the sale RETURNED.
      CREATE FUNCTION leadex_approve_return(p_return uuid, p_decided_by uuid, p_note text) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        r lead_returns%ROWTYPE;
        s sales%ROWTYPE;
        v_txn uuid := gen_random_uuid();
        v_at timestamptz := clock_timestamp();
      BEGIN
        SELECT * INTO r FROM lead_returns WHERE id = p_return FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'return % not found', p_return USING ERRCODE = 'LXR01';
        END IF;
        IF r.status <> 'PENDING' THEN
          RAISE EXCEPTION 'return % is already %', p_return, lower(r.status) USING ERRCODE = 'LXR03';
        END IF;
        UPDATE sales SET status = 'RETURNED', returned_at = v_at WHERE id = r.sale_id AND status = 'SOLD' RETURNING * INTO s;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'sale % is not a sold sale', r.sale_id USING ERRCODE = 'LXR03';
        END IF;
        INSERT INTO ledger_transactions (id, kind, sale_id, lead_id, memo, created_at)
        VALUES (v_txn, 'RETURN', s.id, s.lead_id, 'return ' || r.id || ': ' || r.reason, v_at);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount, created_at) VALUES
          (v_txn, 'BUYER', s.buyer_id, 'CREDIT', s.price, v_at),
          (v_txn, 'SUPPLIER', s.supplier_id, 'DEBIT', s.payout, v_at),
          (v_txn, 'EXCHANGE_REVENUE', NULL, CASE WHEN s.margin < 0 THEN 'CREDIT' ELSE 'DEBIT' END, abs(s.margin), v_at);
        -- the lead before the buyer: the sale path locks them in that order too
        UPDATE leads SET payout_total = payout_total - s.payout, price_total = price_total - s.price WHERE id = s.lead_id;
        UPDATE buyers SET balance = balance + s.price, updated_at = now() WHERE id = s.buyer_id;
        UPDATE lead_returns SET status = 'APPROVED', decided_at = v_at, decided_by = p_decided_by, decision_note = p_note
         WHERE id = p_return;
      END $$;

      CREATE FUNCTION leadex_reject_return(p_return uuid, p_decided_by uuid, p_note text) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE v_status text;
      BEGIN
        SELECT status INTO v_status FROM lead_returns WHERE id = p_return FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'return % not found', p_return USING ERRCODE = 'LXR01';
        END IF;
        IF v_status <> 'PENDING' THEN
          RAISE EXCEPTION 'return % is already %', p_return, lower(v_status) USING ERRCODE = 'LXR03';
        END IF;
        UPDATE lead_returns SET status = 'REJECTED', decided_at = clock_timestamp(), decided_by = p_decided_by, decision_note = p_note
         WHERE id = p_return;
      END $$;

      -- A buyer asks to return a lead it bought: within the vertical's window, once per sale, under its
      -- return rate. Auto-approved when the vertical says so for the reason. Returns the new status.
      CREATE FUNCTION leadex_request_return(
        p_return uuid, p_lead uuid, p_buyer uuid, p_reason text, p_note text,
        p_default_max_percent numeric, p_rate_window_days int
      ) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        s sales%ROWTYPE;
        v_window int;
        v_auto text[];
        v_max numeric;
        v_purchases int;
        v_returns int;
      BEGIN
        SELECT * INTO s FROM sales WHERE lead_id = p_lead AND buyer_id = p_buyer AND status IN ('SOLD', 'RETURNED') FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'lead % not found', p_lead USING ERRCODE = 'LXR01';
        END IF;
        IF s.status = 'RETURNED' THEN
          RAISE EXCEPTION 'lead % was already returned', p_lead USING ERRCODE = 'LXR03';
        END IF;
        SELECT return_window_days, return_auto_approve_reasons INTO v_window, v_auto FROM verticals WHERE key = s.vertical_key;
        IF now() > s.sold_at + make_interval(days => v_window) THEN
          RAISE EXCEPTION 'the return window of % days closed at %', v_window, s.sold_at + make_interval(days => v_window)
            USING ERRCODE = 'LXR02', DETAIL = v_window::text;
        END IF;
        IF EXISTS (SELECT 1 FROM lead_returns WHERE sale_id = s.id AND status IN ('PENDING', 'APPROVED')) THEN
          RAISE EXCEPTION 'a return of lead % was already requested', p_lead USING ERRCODE = 'LXR03';
        END IF;
        SELECT coalesce(max_return_percent, p_default_max_percent) INTO v_max FROM buyers WHERE id = p_buyer;
        IF v_max IS NOT NULL THEN
          -- one buyer's requests counted one at a time, or two at once could both pass the rate
          PERFORM pg_advisory_xact_lock(hashtextextended('leadex-returns:' || p_buyer::text, 0));
          SELECT count(*) INTO v_purchases FROM sales
           WHERE buyer_id = p_buyer AND status IN ('SOLD', 'RETURNED') AND sold_at > now() - make_interval(days => p_rate_window_days);
          SELECT count(*) INTO v_returns FROM lead_returns r JOIN sales x ON x.id = r.sale_id
           WHERE r.buyer_id = p_buyer AND r.status IN ('PENDING', 'APPROVED')
             AND x.sold_at > now() - make_interval(days => p_rate_window_days);
          IF (v_returns + 1) * 100 > v_max * greatest(v_purchases, 1) THEN
            RAISE EXCEPTION 'returning this lead would make % returns of % purchases in % days, over the maximum return rate of %%%',
              v_returns + 1, v_purchases, p_rate_window_days, trim_scale(v_max)
              USING ERRCODE = 'LXR04', DETAIL = trim_scale(v_max)::text;
          END IF;
        END IF;
        INSERT INTO lead_returns (id, sale_id, lead_id, buyer_id, campaign_id, supplier_id, reason, note, amount)
        VALUES (p_return, s.id, s.lead_id, s.buyer_id, s.campaign_id, s.supplier_id, p_reason, p_note, s.price);
        IF p_reason = ANY (v_auto) THEN
          PERFORM leadex_approve_return(p_return, NULL, 'auto-approved: ' || p_reason || ' returns are approved for vertical ' || s.vertical_key);
          RETURN 'APPROVED';
        END IF;
        RETURN 'PENDING';
      END $$;

      -- Told once per episode: low_balance_since is set when available funds fall under the threshold
      -- and cleared when they rise to it again, so the next fall is a new notice.
      CREATE FUNCTION leadex_low_balance_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_available numeric := NEW.balance + coalesce(NEW.credit_limit, 0);
      BEGIN
        IF NEW.low_balance_threshold IS NOT NULL AND v_available < NEW.low_balance_threshold THEN
          IF NEW.low_balance_since IS NULL THEN
            NEW.low_balance_since := clock_timestamp();
            INSERT INTO notifications (buyer_id, kind, message, data, dedupe_key)
            VALUES (NEW.id, 'LOW_BALANCE',
                    format('Available funds are %s, under your low-balance threshold of %s; campaigns stop bidding when funds run out.',
                           to_char(v_available, 'FM999999999990.00'), to_char(NEW.low_balance_threshold, 'FM999999999990.00')),
                    jsonb_build_object('balance', NEW.balance::text, 'creditLimit', NEW.credit_limit::text,
                                       'available', v_available::text, 'threshold', NEW.low_balance_threshold::text),
                    NEW.id::text || ':' || NEW.low_balance_since::text)
            ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
          END IF;
        ELSE
          NEW.low_balance_since := NULL;
        END IF;
        RETURN NEW;
      END $$;
      -- WHEN keeps the sale's hot path free of the call for buyers without a threshold.
      CREATE TRIGGER buyers_low_balance BEFORE UPDATE OF balance, credit_limit, low_balance_threshold ON buyers FOR EACH ROW
        WHEN (NEW.low_balance_threshold IS NOT NULL OR OLD.low_balance_since IS NOT NULL)
        EXECUTE FUNCTION leadex_low_balance_notice();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER buyers_low_balance ON buyers;
      DROP FUNCTION leadex_low_balance_notice();
      DROP FUNCTION leadex_request_return(uuid, uuid, uuid, text, text, numeric, int);
      DROP FUNCTION leadex_reject_return(uuid, uuid, text);
      DROP FUNCTION leadex_approve_return(uuid, uuid, text);
      DROP FUNCTION leadex_record_deposit(uuid, uuid, numeric, text);
      DROP INDEX ledger_entries_account_time_idx;
      DROP INDEX ledger_one_return_per_sale;
      ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_return_has_sale;
      DROP TABLE lead_returns;
      ALTER TABLE buyers DROP COLUMN low_balance_since, DROP COLUMN low_balance_threshold, DROP COLUMN max_return_percent;
      ALTER TABLE verticals DROP COLUMN return_auto_approve_reasons;
      DROP TRIGGER sales_returned_at ON sales;
      DROP FUNCTION leadex_sale_returned_at();
      ALTER TABLE sales DROP CONSTRAINT sales_returned_has_time;
      ALTER TABLE sales DROP COLUMN returned_at;
    `);
  }
}
