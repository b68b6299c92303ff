import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Manual adjustments of a buyer's balance: one PL/pgSQL function, so the ADJUSTMENT ledger transaction and
 * the maintained balance change in one statement's transaction or not at all (like deposits, migration 800).
 * - A positive amount credits the buyer (a goodwill credit) and debits EXCHANGE_REVENUE: the exchange pays.
 *   A negative one debits the buyer (a correction) and credits EXCHANGE_REVENUE.
 * - A debit is one conditional UPDATE that refuses to take the balance below −credit_limit (LXM04), so it
 *   cannot race a sale past the limit; the buyers_within_credit_limit CHECK backs it.
 * - The reason is required (1–500 characters) and kept as the transaction's memo.
 * Custom SQLSTATEs: LXM02 unknown buyer (as for deposits), LXM03 zero amount or bad reason, LXM04 over the
 * credit limit.
 */
export class BuyerSettingsAndAdjustments1763800001000 implements MigrationInterface {
  name = 'BuyerSettingsAndAdjustments1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The operator report reads a period's adjustments; among millions of SALE transactions they are few.
      CREATE INDEX ledger_adjustments_idx ON ledger_transactions (created_at) WHERE kind = 'ADJUSTMENT';

      CREATE FUNCTION leadex_record_adjustment(p_txn uuid, p_buyer uuid, p_amount numeric, p_reason text) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        v_abs numeric := abs(p_amount);
        v_balance numeric;
        v_limit numeric;
      BEGIN
        IF p_amount IS NULL OR p_amount = 0 THEN
          RAISE EXCEPTION 'an adjustment must not be zero' USING ERRCODE = 'LXM03';
        END IF;
        IF p_reason IS NULL OR length(btrim(p_reason)) = 0 OR length(p_reason) > 500 THEN
          RAISE EXCEPTION 'an adjustment needs a reason of 1 to 500 characters' USING ERRCODE = 'LXM03';
        END IF;
        UPDATE buyers SET balance = balance + p_amount, updated_at = now()
         WHERE id = p_buyer AND (p_amount > 0 OR credit_limit IS NULL OR balance + p_amount >= -credit_limit);
        IF NOT FOUND THEN
          SELECT balance, credit_limit INTO v_balance, v_limit FROM buyers WHERE id = p_buyer;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'buyer % not found', p_buyer USING ERRCODE = 'LXM02';
          END IF;
          RAISE EXCEPTION 'a debit of % would take the balance of % below the credit limit of % (at most % can be debited)',
            to_char(v_abs, 'FM999999999990.00'), to_char(v_balance, 'FM999999999990.00'), to_char(v_limit, 'FM999999999990.00'),
            to_char(greatest(v_balance + v_limit, 0), 'FM999999999990.00')
            USING ERRCODE = 'LXM04';
        END IF;
        INSERT INTO ledger_transactions (id, kind, memo) VALUES (p_txn, 'ADJUSTMENT', p_reason);
        INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount) VALUES
          (p_txn, 'BUYER', p_buyer, CASE WHEN p_amount > 0 THEN 'CREDIT' ELSE 'DEBIT' END, v_abs),
          (p_txn, 'EXCHANGE_REVENUE', NULL, CASE WHEN p_amount > 0 THEN 'DEBIT' ELSE 'CREDIT' END, v_abs);
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION leadex_record_adjustment(uuid, uuid, numeric, text); DROP INDEX ledger_adjustments_idx;`);
  }
}
