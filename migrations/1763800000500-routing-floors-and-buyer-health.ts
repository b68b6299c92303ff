import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing beyond the auction, supplier floors, and the health of buyers' endpoints:
 * - a vertical's distribution mode: AUCTION (best price), PRIORITY (waterfall by campaign priority),
 *   ROUND_ROBIN, WEIGHTED (by campaign weight) — the last three for operators routing to their own teams;
 * - a supplier's minimum payout per vertical;
 * - per campaign, how its buyer's endpoint answers (on-time rate, failures in a row), and why the
 *   exchange paused it, so the buyer can see it.
 */
export class RoutingFloorsAndBuyerHealth1763800000500 implements MigrationInterface {
  name = 'RoutingFloorsAndBuyerHealth1763800000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE verticals ADD COLUMN distribution_mode text NOT NULL DEFAULT 'AUCTION'
        CHECK (distribution_mode IN ('AUCTION', 'PRIORITY', 'ROUND_ROBIN', 'WEIGHTED'));

      CREATE TABLE supplier_floors (
        supplier_id uuid NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
        vertical_key text NOT NULL REFERENCES verticals(key) ON DELETE CASCADE,
        min_payout numeric(14,2) NOT NULL CHECK (min_payout >= 0),
        PRIMARY KEY (supplier_id, vertical_key)
      );
      CREATE TRIGGER supplier_floors_notify AFTER INSERT OR DELETE OR UPDATE
        ON supplier_floors FOR EACH ROW EXECUTE FUNCTION leadex_notify_change('supplier_id');

      ALTER TABLE campaigns ADD COLUMN paused_reason text CHECK (length(paused_reason) <= 500);

      CREATE TABLE campaign_health (
        campaign_id uuid PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
        pings bigint NOT NULL DEFAULT 0 CHECK (pings >= 0),
        on_time bigint NOT NULL DEFAULT 0 CHECK (on_time >= 0 AND on_time <= pings),
        consecutive_failures int NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        last_failure_at timestamptz,
        last_failure_reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE campaign_health;
      ALTER TABLE campaigns DROP COLUMN paused_reason;
      DROP TABLE supplier_floors;
      ALTER TABLE verticals DROP COLUMN distribution_mode;
    `);
  }
}
