import { BuyerTemplate, BuyerTemplateCache, buildPostBody } from '@leadex/buyer-protocol';

/** Where and how a delivery goes: a snapshot of the campaign's delivery config at the sale. */
export interface DeliveryTarget {
  method?: string;
  url?: string;
  email?: string;
  headers?: Record<string, string>;
  template?: BuyerTemplate | null;
}

/** What a delivery carries, read from the sale and its lead when the delivery is made. */
export interface DeliveredSale {
  deliveryId: string;
  kind: 'LEAD' | 'POSTBACK';
  event: 'sold' | 'returned';
  leadId: string;
  pingId: string | null;
  bidId: string | null;
  externalId: string | null;
  subId: string | null;
  vertical: string;
  price: string;
  payout: string;
  soldAt: Date;
  campaignName: string;
  fields: Record<string, unknown>;
  consent: unknown;
}

/** Delivery templates compiled once per distinct template, as the live bidding's are. */
const templates = new BuyerTemplateCache(1000);

/**
 * The webhook body: for a lead, the contract's buyer post (or the campaign template's mapping of
 * it); for a supplier postback, the event with the lead's ids and the payout.
 */
export async function webhookBody(sale: DeliveredSale, target: DeliveryTarget): Promise<unknown> {
  if (sale.kind === 'POSTBACK') {
    return {
      event: sale.event,
      lead_id: sale.leadId,
      external_id: sale.externalId,
      sub_id: sale.subId,
      vertical: sale.vertical,
      payout: sale.payout,
      sold_at: sale.soldAt.toISOString(),
    };
  }
  const tpl = templates.get(target.template);
  return buildPostBody(tpl, {
    pingId: sale.pingId,
    bidId: sale.bidId,
    leadId: sale.leadId,
    vertical: sale.vertical,
    price: sale.price,
    fields: sale.fields,
    consent: sale.consent,
  });
}

/** Headers of a webhook: the campaign's own (and its template's), then ours, which cannot be overridden. */
export function webhookHeaders(sale: DeliveredSale, target: DeliveryTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  const templateHeaders = templates.get(target.template)?.headers ?? {};
  for (const [k, v] of Object.entries({ ...templateHeaders, ...(target.headers ?? {}) })) headers[k.toLowerCase()] = String(v);
  headers['idempotency-key'] = sale.deliveryId;
  headers['x-leadex-event'] = sale.kind === 'POSTBACK' ? `lead.${sale.event}` : 'lead.delivered';
  return headers;
}

/** A plain-text email of a sold lead, for a buyer's sales reps. */
export function leadEmail(sale: DeliveredSale): { subject: string; text: string } {
  const lines = [
    `A new ${sale.vertical} lead was sold to your campaign "${sale.campaignName}" for ${sale.price}.`,
    '',
    ...Object.entries(sale.fields).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
    '',
    `Lead id: ${sale.leadId}`,
    `Sold at: ${sale.soldAt.toISOString()}`,
  ];
  if (sale.consent) lines.push(`Consent: ${JSON.stringify(sale.consent)}`);
  return { subject: `New ${sale.vertical} lead (${sale.leadId})`, text: lines.join('\n') };
}
