import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One definition of a lead's timeline for both apps (the exchange shows it to the supplier, the
 * portal to buyers and operators): the lead_events of the lead or of the ping it was the post of,
 * plus its sales from the sales table ('sold', 'held' while PENDING, 'returned'), in time order, a
 * sale after the events of the same instant. Each row names the buyer it is about, so a caller can
 * hide what a viewer may not see.
 */
export class LeadTimelineFunction1763800000600 implements MigrationInterface {
  name = 'LeadTimelineFunction1763800000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION leadex_lead_timeline(p_leads uuid[], p_pings uuid[])
      RETURNS TABLE (subject uuid, at timestamptz, kind text, outcome text, campaign_id uuid, latency_ms int,
                     price numeric, detail jsonb, seq bigint, buyer_id uuid)
      LANGUAGE sql STABLE AS $$
        WITH subject AS (SELECT * FROM unnest(p_leads, p_pings) AS t(lead_id, ping_id))
        -- two event branches so each uses its index; the second skips rows the first already has
        SELECT s.lead_id, e.created_at, e.kind, e.outcome, e.campaign_id, e.latency_ms, e.price, e.detail, e.id, c.buyer_id
          FROM subject s JOIN lead_events e ON e.lead_id = s.lead_id
          LEFT JOIN campaigns c ON c.id = e.campaign_id
        UNION ALL
        SELECT s.lead_id, e.created_at, e.kind, e.outcome, e.campaign_id, e.latency_ms, e.price, e.detail, e.id, c.buyer_id
          FROM subject s JOIN lead_events e ON e.ping_id = s.ping_id AND e.lead_id IS DISTINCT FROM s.lead_id
          LEFT JOIN campaigns c ON c.id = e.campaign_id
        UNION ALL
        SELECT sa.lead_id, sa.sold_at, 'sale', CASE WHEN sa.status = 'PENDING' THEN 'held' ELSE lower(sa.status) END,
               sa.campaign_id, NULL, sa.price, NULL, 9223372036854775807, sa.buyer_id
          FROM sales sa WHERE sa.lead_id = ANY(p_leads)
        ORDER BY 1, 2, 9
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION leadex_lead_timeline(uuid[], uuid[])`);
  }
}
