import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery that never loses a sold lead (a transactional outbox), notifications, and dispositions:
 * - a campaign's delivery config (NONE: the buyer takes leads from the portal; WEBHOOK; EMAIL);
 * - `deliveries`, written by a trigger in the very transaction that makes a sale SOLD, so a sale can
 *   never commit without its delivery (nor a delivery without its sale). A relay moves due rows onto
 *   BullMQ; workers deliver and log each attempt in `delivery_attempts`. Supplier postbacks (sold,
 *   returned) ride the same outbox;
 * - `notifications` for buyers (and operators, buyer_id NULL): caps reached, deliveries failed,
 *   campaigns auto-paused, low balance; a cap notice is written by the cap counter itself, once per
 *   cap period;
 * - `lead_dispositions`: what became of a bought lead, reported by its buyer.
 */
export class DeliveryOutboxNotificationsDispositions1763800000700 implements MigrationInterface {
  name = 'DeliveryOutboxNotificationsDispositions1763800000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns ADD COLUMN delivery jsonb NOT NULL DEFAULT '{"method":"NONE"}'
        CONSTRAINT campaigns_delivery_shape CHECK (
          jsonb_typeof(delivery) = 'object'
          AND delivery->>'method' IN ('NONE', 'WEBHOOK', 'EMAIL')
          AND (delivery->>'method' <> 'WEBHOOK' OR jsonb_typeof(delivery->'url') = 'string')
          AND (delivery->>'method' <> 'EMAIL' OR jsonb_typeof(delivery->'email') = 'string'));
      ALTER TABLE suppliers ADD COLUMN postback_url text CHECK (length(postback_url) <= 2000);
      ALTER TABLE buyers ADD COLUMN notify_email text CHECK (position('@' in notify_email) > 1);

      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('LEAD', 'POSTBACK')),
        event text NOT NULL CHECK (event IN ('sold', 'returned')),
        sale_id uuid NOT NULL REFERENCES sales(id),
        lead_id uuid NOT NULL REFERENCES leads(id),
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        method text NOT NULL CHECK (method IN ('WEBHOOK', 'EMAIL')),
        target jsonb NOT NULL CHECK (jsonb_typeof(target) = 'object'),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'QUEUED', 'DELIVERED', 'FAILED')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        enqueue_seq int NOT NULL DEFAULT 0 CHECK (enqueue_seq >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        window_started_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        failed_at timestamptz,
        last_error text,
        CONSTRAINT deliveries_postback_is_sold_or_returned CHECK (kind = 'POSTBACK' OR event = 'sold'),
        CONSTRAINT deliveries_delivered_has_time CHECK ((status = 'DELIVERED') = (delivered_at IS NOT NULL)),
        CONSTRAINT deliveries_failed_has_time CHECK ((status = 'FAILED') = (failed_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX deliveries_one_per_sale_event ON deliveries (sale_id, kind, event);
      CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status IN ('PENDING', 'QUEUED');
      CREATE INDEX deliveries_lead_idx ON deliveries (lead_id);
      CREATE INDEX deliveries_failed_idx ON deliveries (buyer_id, failed_at DESC) WHERE status = 'FAILED';

      CREATE TABLE delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries(id),
        attempt int NOT NULL CHECK (attempt >= 1),
        started_at timestamptz NOT NULL,
        latency_ms int NOT NULL CHECK (latency_ms >= 0),
        outcome text NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED')),
        status_code int,
        response_snippet text CHECK (length(response_snippet) <= 1000),
        error text CHECK (length(error) <= 1000)
      );
      CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);

      -- The outbox: a sale that becomes SOLD gets its delivery (and its supplier's postback) in the
      -- same transaction; a sale that becomes RETURNED gets the supplier's "returned" postback.
      CREATE FUNCTION leadex_sale_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_event text;
      BEGIN
        IF NEW.status = 'SOLD' AND (TG_OP = 'INSERT' OR OLD.status = 'PENDING') THEN
          v_event := 'sold';
          INSERT INTO deliveries (kind, event, sale_id, lead_id, buyer_id, supplier_id, campaign_id, method, target)
          SELECT 'LEAD', 'sold', NEW.id, NEW.lead_id, NEW.buyer_id, NEW.supplier_id, NEW.campaign_id,
                 c.delivery->>'method', c.delivery
            FROM campaigns c WHERE c.id = NEW.campaign_id AND c.delivery->>'method' <> 'NONE';
        ELSIF TG_OP = 'UPDATE' AND NEW.status = 'RETURNED' AND OLD.status = 'SOLD' THEN
          v_event := 'returned';
        ELSE
          RETURN NULL;
        END IF;
        INSERT INTO deliveries (kind, event, sale_id, lead_id, buyer_id, supplier_id, campaign_id, method, target)
        SELECT 'POSTBACK', v_event, NEW.id, NEW.lead_id, NEW.buyer_id, NEW.supplier_id, NEW.campaign_id,
               'WEBHOOK', jsonb_build_object('url', s.postback_url)
          FROM suppliers s WHERE s.id = NEW.supplier_id AND s.postback_url IS NOT NULL;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sales_outbox AFTER INSERT OR UPDATE OF status ON sales
        FOR EACH ROW EXECUTE FUNCTION leadex_sale_outbox();

      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        buyer_id uuid REFERENCES buyers(id),
        kind text NOT NULL CHECK (kind IN ('CAP_REACHED', 'DELIVERY_FAILED', 'CAMPAIGN_AUTO_PAUSED', 'LOW_BALANCE')),
        message text NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
        data jsonb NOT NULL DEFAULT '{}',
        dedupe_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        emailed_at timestamptz
      );
      CREATE UNIQUE INDEX notifications_dedupe_key ON notifications (kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
      CREATE INDEX notifications_buyer_idx ON notifications (buyer_id, id DESC);
      CREATE INDEX notifications_unemailed_idx ON notifications (id) WHERE emailed_at IS NULL;

      -- Told once per cap period, by the counter update that fills the cap.
      CREATE FUNCTION leadex_cap_reached_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO notifications (buyer_id, kind, message, data, dedupe_key)
        SELECT c.buyer_id, 'CAP_REACHED',
               format('Campaign "%s" reached its %s cap; it bids again when the period ends.', c.name, lower(NEW.period)),
               jsonb_build_object('campaignId', c.id, 'period', NEW.period, 'periodStart', NEW.period_start,
                                  'leads', NEW.leads_count, 'spend', NEW.spend::text),
               c.id::text || ':' || NEW.period || ':' || NEW.period_start::text
          FROM campaigns c WHERE c.id = NEW.campaign_id
        ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER cap_counters_reached AFTER INSERT OR UPDATE ON cap_counters FOR EACH ROW
        WHEN ((NEW.max_leads IS NOT NULL AND NEW.leads_count >= NEW.max_leads)
           OR (NEW.max_spend IS NOT NULL AND NEW.spend >= NEW.max_spend))
        EXECUTE FUNCTION leadex_cap_reached_notice();

      CREATE TABLE lead_dispositions (
        id bigserial PRIMARY KEY,
        sale_id uuid NOT NULL REFERENCES sales(id),
        lead_id uuid NOT NULL REFERENCES leads(id),
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        disposition text NOT NULL CHECK (disposition IN ('CONTACTED', 'APPOINTMENT', 'CONVERTED', 'NOT_INTERESTED', 'BAD_DATA')),
        note text CHECK (length(note) <= 1000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX lead_dispositions_sale_idx ON lead_dispositions (sale_id, id DESC);
      CREATE INDEX lead_dispositions_buyer_idx ON lead_dispositions (buyer_id, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE lead_dispositions;
      DROP TRIGGER cap_counters_reached ON cap_counters;
      DROP FUNCTION leadex_cap_reached_notice();
      DROP TABLE notifications;
      DROP TRIGGER sales_outbox ON sales;
      DROP FUNCTION leadex_sale_outbox();
      DROP TABLE delivery_attempts;
      DROP TABLE deliveries;
      ALTER TABLE buyers DROP COLUMN notify_email;
      ALTER TABLE suppliers DROP COLUMN postback_url;
      ALTER TABLE campaigns DROP COLUMN delivery;
    `);
  }
}
