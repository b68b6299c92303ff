import { CAP_PERIODS, DISTRIBUTION_MODES, FILTER_OPS, WEEKDAYS } from '@leadex/auction-core';
import { DistributionMode } from '../verticals/distribution-mode.enum';
import { CampaignStatus } from '@leadex/contracts';
import { CampaignDraft, campaignDraftProblems, mergeDraft } from './campaign-draft.util';
import { CapPeriod, FilterOp, PurchaseMode, Weekday } from './campaign.enums';

const vertical = { active: true, schema: { properties: { state: {}, age: {}, zip: {} } } };
const base: CampaignDraft = {
  buyerId: '11111111-1111-4111-8111-111111111111',
  name: 'FL',
  vertical: 'auto-insurance',
  bid: '12.50',
  status: CampaignStatus.ACTIVE,
  priority: 0,
  pingUrl: null,
  postUrl: null,
  timeoutMs: null,
  filters: [{ field: 'state', op: 'EQ', value: 'FL' }],
  caps: [{ period: 'DAY', maxLeads: 10, maxSpend: null }],
  schedule: { timezone: 'UTC', windows: [{ days: ['MON'], start: '09:00', end: '17:00' }] },
  excludedSupplierIds: [],
  template: null,
  purchaseMode: PurchaseMode.EXCLUSIVE,
  weight: 1,
  delivery: { method: 'NONE' },
};
const ctx = { vertical, buyerExists: true, knownSupplierIds: new Set<string>() };

describe('campaign drafts', () => {
  it('GraphQL enums list exactly the auction-core vocabularies', () => {
    expect(Object.values(FilterOp)).toEqual([...FILTER_OPS]);
    expect(Object.values(CapPeriod)).toEqual([...CAP_PERIODS]);
    expect(Object.values(Weekday)).toEqual([...WEEKDAYS]);
    expect(Object.values(DistributionMode)).toEqual([...DISTRIBUTION_MODES]);
  });

  it('a valid draft has no problems', () => {
    expect(campaignDraftProblems(base, ctx)).toEqual([]);
  });

  it('names problems under input., from auction-core paths too', () => {
    const d: CampaignDraft = { ...base, bid: null, filters: [{ field: 'nope', op: 'EQ', value: 1 }], schedule: { timezone: 'Nowhere/Land', windows: [] } };
    expect(campaignDraftProblems(d, { ...ctx, vertical: { ...vertical, active: false } })).toEqual([
      { field: 'input.vertical', message: 'vertical "auto-insurance" is not active' },
      { field: 'input.bid', message: expect.stringContaining('required unless pingUrl') },
      { field: 'input.filters[0].field', message: 'unknown field "nope"' },
      { field: 'input.schedule.timezone', message: 'unknown time zone "Nowhere/Land"' },
      { field: 'input.schedule.windows', message: 'must have at least one window' },
    ]);
  });

  it('a merge keeps what the update leaves out, clears with null, ignores null status/priority/purchaseMode/weight', () => {
    const stored = { ...base, priority: 4, template: { pingBid: 'bid' }, purchaseMode: PurchaseMode.BOTH, weight: 7 };
    const merged = mergeDraft(stored, { name: '  Renamed  ', schedule: null, caps: null, status: null, priority: null, purchaseMode: null, weight: null });
    expect(merged).toEqual({ ...stored, name: 'Renamed', schedule: null, caps: [] });
    expect(mergeDraft(stored, { template: null, purchaseMode: PurchaseMode.SHARED, weight: 0 })).toEqual({ ...stored, template: null, purchaseMode: 'SHARED', weight: 0 });
  });

  it("names each bad template key with the exchange's own template rules, under input.template", () => {
    const d: CampaignDraft = {
      ...base,
      template: { pingBid: '$.bid +', postAccepted: '', headers: { Host: 'x', 'X-Key': 5 }, pingUrl: 'x' },
    };
    const problems = campaignDraftProblems(d, ctx);
    expect(problems.map((p) => p.field)).toEqual([
      'input.template.pingUrl',
      'input.template.pingBid',
      'input.template.postAccepted',
      'input.template.headers.Host',
      'input.template.headers.X-Key',
    ]);
    expect(problems[3].message).toBe('set by the exchange, not by a template');
    expect(campaignDraftProblems({ ...base, template: { pingBid: 'bid', headers: { 'X-Api-Key': 'secret' } } }, ctx)).toEqual([]);
  });

  it('weight is a whole number from 0 to 1000', () => {
    for (const weight of [0, 1, 1000]) expect(campaignDraftProblems({ ...base, weight }, ctx)).toEqual([]);
    for (const weight of [-1, 1001, 2.5]) {
      expect(campaignDraftProblems({ ...base, weight }, ctx)).toEqual([{ field: 'input.weight', message: 'must be a whole number from 0 to 1000' }]);
    }
  });
});
