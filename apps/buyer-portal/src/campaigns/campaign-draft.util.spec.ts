import { CAP_PERIODS, FILTER_OPS, WEEKDAYS } from '@leadex/auction-core';
import { CampaignStatus } from '@leadex/contracts';
import { CampaignDraft, campaignDraftProblems, mergeDraft } from './campaign-draft.util';
import { CapPeriod, FilterOp, Weekday } from './campaign.enums';

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
};
const ctx = { vertical, buyerExists: true, knownSupplierIds: new Set<string>() };

describe('campaign drafts', () => {
  it('GraphQL enums list exactly the auction-core vocabularies', () => {
    expect(Object.values(FilterOp)).toEqual([...FILTER_OPS]);
    expect(Object.values(CapPeriod)).toEqual([...CAP_PERIODS]);
    expect(Object.values(Weekday)).toEqual([...WEEKDAYS]);
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

  it('a merge keeps what the update leaves out, clears with null, ignores null status/priority', () => {
    const merged = mergeDraft({ ...base, priority: 4 }, { name: '  Renamed  ', schedule: null, caps: null, status: null, priority: null });
    expect(merged).toEqual({ ...base, name: 'Renamed', schedule: null, caps: [], priority: 4 });
  });
});
