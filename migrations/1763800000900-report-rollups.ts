import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report rollups: daily (UTC) aggregates that the buyer, supplier and operator reports read instead
 * of scanning sales, leads and lead_events, so a month over millions of rows answers in milliseconds.
 *
 * They are kept by triggers in the same transaction as the change they fold, so they are exact to the
 * cent at every commit (no watermark, no lag, no job that can fall behind). The sale's hot path pays
 * one upsert of a row it already contends on per campaign (the campaign row itself is locked by the
 * sale); a PENDING hold costs nothing until it is confirmed. lead_events is folded per statement (its
 * writer batches rows), never per row. Percentiles come from bucketed histograms (report_latency_daily).
 *
 * A change is folded as "minus the old contribution, plus the new one", so status changes (SOLD →
 * RETURNED), a confirmed hold's new sold_at, or a deleted hold all keep the aggregates exact.
 */
export class ReportRollups1763800000900 implements MigrationInterface {
  name = 'ReportRollups1763800000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_sales_daily (
        day date NOT NULL,
        buyer_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        supplier_id uuid NOT NULL,
        vertical_key text NOT NULL,
        state text NOT NULL,            -- the lead's fields->>'state', '' when absent
        sub_id text NOT NULL,           -- the lead's source->>'sub_id', '' when absent
        sales bigint NOT NULL DEFAULT 0,            -- SOLD + RETURNED
        spend numeric(18,2) NOT NULL DEFAULT 0,     -- Σ price
        payout numeric(18,2) NOT NULL DEFAULT 0,
        margin numeric(18,2) NOT NULL DEFAULT 0,
        returns bigint NOT NULL DEFAULT 0,          -- of those sales, RETURNED now
        returned_spend numeric(18,2) NOT NULL DEFAULT 0,
        returned_payout numeric(18,2) NOT NULL DEFAULT 0,
        returned_margin numeric(18,2) NOT NULL DEFAULT 0,
        conversions bigint NOT NULL DEFAULT 0,      -- sales with a CONVERTED disposition
        PRIMARY KEY (day, campaign_id, supplier_id, state, sub_id, buyer_id, vertical_key)
      );
      CREATE INDEX report_sales_daily_buyer_idx ON report_sales_daily (buyer_id, day);
      CREATE INDEX report_sales_daily_supplier_idx ON report_sales_daily (supplier_id, day);

      CREATE TABLE report_leads_daily (
        day date NOT NULL,              -- the lead's created_at, UTC
        supplier_id uuid NOT NULL,
        vertical_key text NOT NULL,
        state text NOT NULL,
        sub_id text NOT NULL,
        posted bigint NOT NULL DEFAULT 0,
        processing bigint NOT NULL DEFAULT 0,
        sold bigint NOT NULL DEFAULT 0,
        unsold bigint NOT NULL DEFAULT 0,
        duplicate bigint NOT NULL DEFAULT 0,
        expired bigint NOT NULL DEFAULT 0,
        mismatch bigint NOT NULL DEFAULT 0,
        shard smallint NOT NULL DEFAULT 0,  -- see report_latency_daily
        PRIMARY KEY (supplier_id, day, vertical_key, state, sub_id, shard)
      );

      CREATE TABLE report_bids_daily (
        day date NOT NULL,
        campaign_id uuid NOT NULL,
        buyer_id uuid NOT NULL,
        vertical_key text NOT NULL,
        pings bigint NOT NULL DEFAULT 0,  -- live pings sent to the campaign's endpoint
        bids bigint NOT NULL DEFAULT 0,   -- of those, answered with a bid
        PRIMARY KEY (day, campaign_id, buyer_id, vertical_key)
      );

      -- Histograms for percentiles: metric 'ping' (buyer ping latency), 'capture_to_sale', 'sale_to_delivery'.
      -- Rows are split into 16 shards by the folded row's id (readers sum them): one row per bucket
      -- would be a lock every concurrent sale or delivery of that latency queues on until it commits
      -- (the delivery bench: 373 → 630 deliveries/s without it).
      CREATE TABLE report_latency_daily (
        day date NOT NULL,
        metric text NOT NULL,
        bucket_ms int NOT NULL,
        shard smallint NOT NULL DEFAULT 0,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (metric, day, bucket_ms, shard)
      );

      -- The shard of a folded row: its id's hash, so a row's later changes land in the same shard.
      CREATE FUNCTION leadex_report_shard(id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
        SELECT (hashtext(id::text) & 15)::smallint
      $$;

      -- Buckets: 5 ms below 1 s, 50 ms below 10 s, 1 s below 10 min, then 1 min: percentiles within that.
      CREATE FUNCTION leadex_latency_bucket(ms numeric) RETURNS int LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN ms < 0 THEN 0
                    WHEN ms < 1000 THEN (floor(ms / 5) * 5)::int
                    WHEN ms < 10000 THEN (floor(ms / 50) * 50)::int
                    WHEN ms < 600000 THEN (floor(ms / 1000) * 1000)::int
                    ELSE least(floor(ms / 60000) * 60000, 2000000000)::int END
      $$;

      -- Adds (sign = 1) or removes (sign = -1) one sale's contribution.
      -- check_conversion: a sale just inserted has no disposition yet, so its fold skips the lookup.
      CREATE FUNCTION leadex_report_fold_sale(s sales, sign int, check_conversion boolean DEFAULT true) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_state text; v_sub text; v_created timestamptz; v_converted boolean; v_ret int;
      BEGIN
        SELECT coalesce(l.fields->>'state', ''), coalesce(l.source->>'sub_id', ''), l.created_at
          INTO v_state, v_sub, v_created FROM leads l WHERE l.id = s.lead_id;
        v_converted := check_conversion AND EXISTS (SELECT 1 FROM lead_dispositions d WHERE d.sale_id = s.id AND d.disposition = 'CONVERTED');
        v_ret := CASE WHEN s.status = 'RETURNED' THEN sign ELSE 0 END;
        INSERT INTO report_sales_daily AS r (day, buyer_id, campaign_id, supplier_id, vertical_key, state, sub_id,
               sales, spend, payout, margin, returns, returned_spend, returned_payout, returned_margin, conversions)
        VALUES ((s.sold_at AT TIME ZONE 'UTC')::date, s.buyer_id, s.campaign_id, s.supplier_id, s.vertical_key, v_state, v_sub,
                sign, sign * s.price, sign * s.payout, sign * s.margin,
                v_ret, v_ret * s.price, v_ret * s.payout, v_ret * s.margin, CASE WHEN v_converted THEN sign ELSE 0 END)
        ON CONFLICT (day, campaign_id, supplier_id, state, sub_id, buyer_id, vertical_key) DO UPDATE SET
          sales = r.sales + EXCLUDED.sales, spend = r.spend + EXCLUDED.spend, payout = r.payout + EXCLUDED.payout,
          margin = r.margin + EXCLUDED.margin, returns = r.returns + EXCLUDED.returns,
          returned_spend = r.returned_spend + EXCLUDED.returned_spend, returned_payout = r.returned_payout + EXCLUDED.returned_payout,
          returned_margin = r.returned_margin + EXCLUDED.returned_margin, conversions = r.conversions + EXCLUDED.conversions;
        INSERT INTO report_latency_daily AS r (day, metric, bucket_ms, shard, n)
        VALUES ((s.sold_at AT TIME ZONE 'UTC')::date, 'capture_to_sale',
                leadex_latency_bucket(extract(epoch FROM s.sold_at - v_created) * 1000), leadex_report_shard(s.id), sign)
        ON CONFLICT (metric, day, bucket_ms, shard) DO UPDATE SET n = r.n + EXCLUDED.n;
      END $$;

      CREATE FUNCTION leadex_report_sales_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'PENDING' THEN PERFORM leadex_report_fold_sale(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status <> 'PENDING' THEN PERFORM leadex_report_fold_sale(NEW, 1, TG_OP = 'UPDATE'); END IF;
        RETURN NULL;
      END $$;
      -- WHEN clauses keep a PENDING hold (and its release) free of any report work.
      CREATE TRIGGER sales_report_insert AFTER INSERT ON sales FOR EACH ROW
        WHEN (NEW.status <> 'PENDING') EXECUTE FUNCTION leadex_report_sales_trigger();
      CREATE TRIGGER sales_report_update AFTER UPDATE ON sales FOR EACH ROW
        WHEN ((OLD.status <> 'PENDING' OR NEW.status <> 'PENDING') AND
              (OLD.status, OLD.sold_at, OLD.price, OLD.payout, OLD.margin) IS DISTINCT FROM
              (NEW.status, NEW.sold_at, NEW.price, NEW.payout, NEW.margin))
        EXECUTE FUNCTION leadex_report_sales_trigger();
      CREATE TRIGGER sales_report_delete AFTER DELETE ON sales FOR EACH ROW
        WHEN (OLD.status <> 'PENDING') EXECUTE FUNCTION leadex_report_sales_trigger();

      -- The first CONVERTED disposition of a sale counts it as a conversion.
      CREATE FUNCTION leadex_report_conversion_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM lead_dispositions d WHERE d.sale_id = NEW.sale_id AND d.disposition = 'CONVERTED' AND d.id < NEW.id) THEN
          RETURN NULL;
        END IF;
        UPDATE report_sales_daily r SET conversions = r.conversions + 1
          FROM sales s JOIN leads l ON l.id = s.lead_id
         WHERE s.id = NEW.sale_id AND s.status <> 'PENDING'
           AND r.day = (s.sold_at AT TIME ZONE 'UTC')::date AND r.campaign_id = s.campaign_id AND r.supplier_id = s.supplier_id
           AND r.state = coalesce(l.fields->>'state', '') AND r.sub_id = coalesce(l.source->>'sub_id', '')
           AND r.buyer_id = s.buyer_id AND r.vertical_key = s.vertical_key;
        RETURN NULL;
      END $$;
      CREATE TRIGGER lead_dispositions_report AFTER INSERT ON lead_dispositions FOR EACH ROW
        WHEN (NEW.disposition = 'CONVERTED') EXECUTE FUNCTION leadex_report_conversion_trigger();

      CREATE FUNCTION leadex_report_fold_lead(l leads, sign int) RETURNS void LANGUAGE sql AS $$
        INSERT INTO report_leads_daily AS r (day, supplier_id, vertical_key, state, sub_id, shard,
               posted, processing, sold, unsold, duplicate, expired, mismatch)
        VALUES ((l.created_at AT TIME ZONE 'UTC')::date, l.supplier_id, l.vertical_key,
                coalesce(l.fields->>'state', ''), coalesce(l.source->>'sub_id', ''), leadex_report_shard(l.id), sign,
                CASE WHEN l.status = 'processing' THEN sign ELSE 0 END, CASE WHEN l.status = 'sold' THEN sign ELSE 0 END,
                CASE WHEN l.status = 'unsold' THEN sign ELSE 0 END, CASE WHEN l.status = 'duplicate' THEN sign ELSE 0 END,
                CASE WHEN l.status = 'expired' THEN sign ELSE 0 END, CASE WHEN l.status = 'mismatch' THEN sign ELSE 0 END)
        ON CONFLICT (supplier_id, day, vertical_key, state, sub_id, shard) DO UPDATE SET
          posted = r.posted + EXCLUDED.posted, processing = r.processing + EXCLUDED.processing, sold = r.sold + EXCLUDED.sold,
          unsold = r.unsold + EXCLUDED.unsold, duplicate = r.duplicate + EXCLUDED.duplicate,
          expired = r.expired + EXCLUDED.expired, mismatch = r.mismatch + EXCLUDED.mismatch
      $$;
      CREATE FUNCTION leadex_report_leads_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM leadex_report_fold_lead(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM leadex_report_fold_lead(NEW, 1); END IF;
        RETURN NULL;
      END $$;
      -- A status change (every sold lead has one, on the sale's hot path) moves one count within the
      -- lead's own rollup row: one UPDATE instead of an upsert out and an upsert in.
      CREATE FUNCTION leadex_report_lead_status_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.created_at, OLD.supplier_id, OLD.vertical_key, OLD.fields->>'state', OLD.source->>'sub_id')
           IS NOT DISTINCT FROM (NEW.created_at, NEW.supplier_id, NEW.vertical_key, NEW.fields->>'state', NEW.source->>'sub_id') THEN
          UPDATE report_leads_daily r SET
            processing = r.processing + (NEW.status = 'processing')::int - (OLD.status = 'processing')::int,
            sold = r.sold + (NEW.status = 'sold')::int - (OLD.status = 'sold')::int,
            unsold = r.unsold + (NEW.status = 'unsold')::int - (OLD.status = 'unsold')::int,
            duplicate = r.duplicate + (NEW.status = 'duplicate')::int - (OLD.status = 'duplicate')::int,
            expired = r.expired + (NEW.status = 'expired')::int - (OLD.status = 'expired')::int,
            mismatch = r.mismatch + (NEW.status = 'mismatch')::int - (OLD.status = 'mismatch')::int
           WHERE r.supplier_id = NEW.supplier_id AND r.day = (NEW.created_at AT TIME ZONE 'UTC')::date
             AND r.vertical_key = NEW.vertical_key AND r.state = coalesce(NEW.fields->>'state', '')
             AND r.sub_id = coalesce(NEW.source->>'sub_id', '') AND r.shard = leadex_report_shard(NEW.id);
          IF FOUND THEN
            RETURN NULL;
          END IF;
        END IF;
        PERFORM leadex_report_fold_lead(OLD, -1);
        PERFORM leadex_report_fold_lead(NEW, 1);
        RETURN NULL;
      END $$;
      CREATE TRIGGER leads_report_insert AFTER INSERT OR DELETE ON leads FOR EACH ROW EXECUTE FUNCTION leadex_report_leads_trigger();
      CREATE TRIGGER leads_report_update AFTER UPDATE OF status ON leads FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION leadex_report_lead_status_trigger();

      -- Once per INSERT statement (the timeline writer batches ~100 ms of events); ORDER BY so
      -- concurrent batches lock rollup rows in the same order and cannot deadlock.
      CREATE FUNCTION leadex_report_events_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_bids_daily AS r (day, campaign_id, buyer_id, vertical_key, pings, bids)
        SELECT (e.created_at AT TIME ZONE 'UTC')::date, e.campaign_id, c.buyer_id, c.vertical_key,
               count(*), count(*) FILTER (WHERE e.outcome = 'bid')
          FROM new_events e JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.kind = 'ping'
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, campaign_id, buyer_id, vertical_key) DO UPDATE SET pings = r.pings + EXCLUDED.pings, bids = r.bids + EXCLUDED.bids;
        INSERT INTO report_latency_daily AS r (day, metric, bucket_ms, n)
        SELECT (e.created_at AT TIME ZONE 'UTC')::date, 'ping', leadex_latency_bucket(e.latency_ms), count(*)
          FROM new_events e WHERE e.kind = 'ping' AND e.latency_ms IS NOT NULL
         GROUP BY 1, 3 ORDER BY 1, 3
        ON CONFLICT (metric, day, bucket_ms, shard) DO UPDATE SET n = r.n + EXCLUDED.n;
        RETURN NULL;
      END $$;
      CREATE TRIGGER lead_events_report AFTER INSERT ON lead_events REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION leadex_report_events_trigger();

      -- Speed to lead, second leg: a lead delivery reaching DELIVERED (bucketed by the sale's day).
      CREATE FUNCTION leadex_report_delivery_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_latency_daily AS r (day, metric, bucket_ms, shard, n)
        SELECT (s.sold_at AT TIME ZONE 'UTC')::date, 'sale_to_delivery',
               leadex_latency_bucket(extract(epoch FROM NEW.delivered_at - s.sold_at) * 1000), leadex_report_shard(NEW.id), 1
          FROM sales s WHERE s.id = NEW.sale_id
        ON CONFLICT (metric, day, bucket_ms, shard) DO UPDATE SET n = r.n + EXCLUDED.n;
        RETURN NULL;
      END $$;
      CREATE TRIGGER deliveries_report AFTER UPDATE OF status ON deliveries FOR EACH ROW
        WHEN (NEW.kind = 'LEAD' AND NEW.status = 'DELIVERED' AND OLD.status IS DISTINCT FROM 'DELIVERED')
        EXECUTE FUNCTION leadex_report_delivery_trigger();

      -- Keyset paging of the billing export over every sale (a buyer's uses sales_buyer_sold_idx).
      CREATE INDEX sales_billing_idx ON sales (sold_at, id) WHERE status <> 'PENDING';
    `);
    await this.backfill(q);
  }

  /** Folds what exists already, so the rollups are exact from the first report. */
  async backfill(q: Pick<QueryRunner, 'query'>): Promise<void> {
    await q.query(`
      INSERT INTO report_sales_daily (day, buyer_id, campaign_id, supplier_id, vertical_key, state, sub_id,
             sales, spend, payout, margin, returns, returned_spend, returned_payout, returned_margin, conversions)
      SELECT (s.sold_at AT TIME ZONE 'UTC')::date, s.buyer_id, s.campaign_id, s.supplier_id, s.vertical_key,
             coalesce(l.fields->>'state', ''), coalesce(l.source->>'sub_id', ''),
             count(*), sum(s.price), sum(s.payout), sum(s.margin),
             count(*) FILTER (WHERE s.status = 'RETURNED'), coalesce(sum(s.price) FILTER (WHERE s.status = 'RETURNED'), 0),
             coalesce(sum(s.payout) FILTER (WHERE s.status = 'RETURNED'), 0), coalesce(sum(s.margin) FILTER (WHERE s.status = 'RETURNED'), 0),
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lead_dispositions d WHERE d.sale_id = s.id AND d.disposition = 'CONVERTED'))
        FROM sales s JOIN leads l ON l.id = s.lead_id
       WHERE s.status <> 'PENDING'
       GROUP BY 1, 2, 3, 4, 5, 6, 7;

      INSERT INTO report_leads_daily (day, supplier_id, vertical_key, state, sub_id, posted, processing, sold, unsold, duplicate, expired, mismatch)
      SELECT (created_at AT TIME ZONE 'UTC')::date, supplier_id, vertical_key, coalesce(fields->>'state', ''), coalesce(source->>'sub_id', ''),
             count(*), count(*) FILTER (WHERE status = 'processing'), count(*) FILTER (WHERE status = 'sold'),
             count(*) FILTER (WHERE status = 'unsold'), count(*) FILTER (WHERE status = 'duplicate'),
             count(*) FILTER (WHERE status = 'expired'), count(*) FILTER (WHERE status = 'mismatch')
        FROM leads GROUP BY 1, 2, 3, 4, 5;

      INSERT INTO report_bids_daily (day, campaign_id, buyer_id, vertical_key, pings, bids)
      SELECT (e.created_at AT TIME ZONE 'UTC')::date, e.campaign_id, c.buyer_id, c.vertical_key, count(*), count(*) FILTER (WHERE e.outcome = 'bid')
        FROM lead_events e JOIN campaigns c ON c.id = e.campaign_id WHERE e.kind = 'ping' GROUP BY 1, 2, 3, 4;

      INSERT INTO report_latency_daily (day, metric, bucket_ms, n)
      SELECT day, metric, bucket, count(*) FROM (
        SELECT (e.created_at AT TIME ZONE 'UTC')::date AS day, 'ping' AS metric, leadex_latency_bucket(e.latency_ms) AS bucket
          FROM lead_events e WHERE e.kind = 'ping' AND e.latency_ms IS NOT NULL
        UNION ALL
        SELECT (s.sold_at AT TIME ZONE 'UTC')::date, 'capture_to_sale', leadex_latency_bucket(extract(epoch FROM s.sold_at - l.created_at) * 1000)
          FROM sales s JOIN leads l ON l.id = s.lead_id WHERE s.status <> 'PENDING'
        UNION ALL
        SELECT (s.sold_at AT TIME ZONE 'UTC')::date, 'sale_to_delivery', leadex_latency_bucket(extract(epoch FROM d.delivered_at - s.sold_at) * 1000)
          FROM deliveries d JOIN sales s ON s.id = d.sale_id WHERE d.kind = 'LEAD' AND d.status = 'DELIVERED'
      ) t GROUP BY 1, 2, 3;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS sales_billing_idx;
      DROP TRIGGER IF EXISTS deliveries_report ON deliveries;
      DROP TRIGGER IF EXISTS lead_events_report ON lead_events;
      DROP TRIGGER IF EXISTS leads_report_insert ON leads;
      DROP TRIGGER IF EXISTS leads_report_update ON leads;
      DROP TRIGGER IF EXISTS lead_dispositions_report ON lead_dispositions;
      DROP TRIGGER IF EXISTS sales_report_insert ON sales;
      DROP TRIGGER IF EXISTS sales_report_update ON sales;
      DROP TRIGGER IF EXISTS sales_report_delete ON sales;
      DROP FUNCTION IF EXISTS leadex_report_delivery_trigger(), leadex_report_events_trigger(), leadex_report_leads_trigger(), leadex_report_lead_status_trigger(),
        leadex_report_fold_lead(leads, int), leadex_report_conversion_trigger(), leadex_report_sales_trigger(),
        leadex_report_fold_sale(sales, int, boolean), leadex_latency_bucket(numeric), leadex_report_shard(uuid);
      DROP TABLE IF EXISTS report_latency_daily, report_bids_daily, report_leads_daily, report_sales_daily;
    `);
  }
}
