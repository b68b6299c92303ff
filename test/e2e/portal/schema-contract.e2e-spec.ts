import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { createPortalApp } from '../../../apps/buyer-portal/src/app.factory';

/** The public contract's GraphQL block, checked against the schema the portal actually serves. */
describe('portal schema matches the contract', () => {
  let app: INestApplication;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    app = await createPortalApp();
    await app.init();
    schema = app.get(GraphQLSchemaHost).schema;
  });
  afterAll(() => app?.close());

  const signature = (type: GraphQLObjectType, name: string) => {
    const f = type.getFields()[name];
    expect(f).toBeDefined();
    return `${name}(${f.args.map((a) => `${a.name}: ${a.type}`).join(', ')}): ${f.type}`;
  };
  const fieldsOf = (typeName: string) => {
    const t = schema.getType(typeName) as GraphQLObjectType | GraphQLInputObjectType;
    expect(t).toBeDefined();
    return Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, String(f.type)]));
  };

  it('has the contract mutations and queries', () => {
    const m = schema.getMutationType()!;
    expect(signature(m, 'login')).toBe('login(email: String!, password: String!): AuthPayload!');
    expect(signature(m, 'createSupplier')).toBe('createSupplier(input: CreateSupplierInput!): SupplierWithKey!');
    expect(signature(m, 'createBuyer')).toBe('createBuyer(input: CreateBuyerInput!): Buyer!');
    expect(signature(m, 'createUser')).toBe('createUser(input: CreateUserInput!): User!');
    expect(signature(m, 'createCampaign')).toBe('createCampaign(input: CampaignInput!): Campaign!');
    expect(signature(m, 'updateCampaign')).toBe('updateCampaign(id: ID!, input: CampaignUpdateInput!): Campaign!');
    expect(signature(m, 'setCampaignStatus')).toBe('setCampaignStatus(id: ID!, status: CampaignStatus!): Campaign!');
    const q = schema.getQueryType()!;
    expect(signature(q, 'me')).toBe('me(): User!');
    expect(signature(q, 'verticals')).toBe('verticals(): [Vertical!]!');
    expect(signature(q, 'campaigns')).toBe('campaigns(): [Campaign!]!');
    expect(signature(q, 'campaign')).toBe('campaign(id: ID!): Campaign');
    expect(signature(q, 'leads')).toBe('leads(filter: LeadFilter, first: Int, after: String): LeadConnection!');
    expect(signature(q, 'buyer')).toBe('buyer(id: ID!): Buyer');
    expect(signature(q, 'buyers')).toBe('buyers(): [Buyer!]!');
  });

  it('has the contract types', () => {
    expect(fieldsOf('AuthPayload')).toEqual({ token: 'String!', user: 'User!' });
    expect(fieldsOf('User')).toEqual({ id: 'ID!', email: 'String!', role: 'Role!', buyerId: 'ID' });
    expect(fieldsOf('Buyer')).toMatchObject({ id: 'ID!', name: 'String!', balance: 'Money!', creditLimit: 'Money' });
    expect(fieldsOf('SupplierWithKey')).toMatchObject({ supplier: 'Supplier!', apiKey: 'String!' });
    expect(fieldsOf('Supplier')).toMatchObject({ id: 'ID!', name: 'String!' });
    expect(fieldsOf('Campaign')).toMatchObject({
      id: 'ID!', buyerId: 'ID!', name: 'String!', vertical: 'String!', bid: 'Money', status: 'CampaignStatus!', priority: 'Int!',
      pingUrl: 'String', postUrl: 'String', timeoutMs: 'Int', filters: '[FilterRule!]!', caps: '[Cap!]!', schedule: 'Schedule',
    });
    expect(fieldsOf('FilterRule')).toEqual({ field: 'String!', op: 'FilterOp!', value: 'JSON' });
    expect(fieldsOf('Cap')).toEqual({ period: 'CapPeriod!', maxLeads: 'Int', maxSpend: 'Money' });
    expect(fieldsOf('Schedule')).toEqual({ timezone: 'String!', windows: '[ScheduleWindow!]!' });
    expect(fieldsOf('ScheduleWindow')).toEqual({ days: '[Weekday!]!', start: 'String!', end: 'String!' });
    expect(fieldsOf('Lead')).toEqual({
      id: 'ID!', vertical: 'String!', status: 'String!', price: 'Money', soldAt: 'DateTime', campaign: 'Campaign', fields: 'JSON!', consent: 'JSON',
      timeline: '[TimelineEvent!]!', delivery: 'Delivery', disposition: 'LeadDisposition',
    });
    expect(fieldsOf('LeadConnection')).toEqual({ edges: '[LeadEdge!]!', pageInfo: 'PageInfo!', totalCount: 'Int!' });
    expect(fieldsOf('LeadEdge')).toEqual({ cursor: 'String!', node: 'Lead!' });
    expect(fieldsOf('PageInfo')).toEqual({ hasNextPage: 'Boolean!', endCursor: 'String' });
  });

  it('has the contract inputs, defaults and enums', () => {
    expect(fieldsOf('LeadFilter')).toEqual({ campaignId: 'ID', from: 'DateTime', to: 'DateTime' });
    expect(fieldsOf('CreateSupplierInput')).toMatchObject({ name: 'String!', payoutPercent: 'String' });
    expect(fieldsOf('CampaignInput')).toMatchObject({
      buyerId: 'ID', name: 'String!', vertical: 'String!', bid: 'Money', pingUrl: 'String', postUrl: 'String', timeoutMs: 'Int',
      filters: '[FilterRuleInput!]', caps: '[CapInput!]', schedule: 'ScheduleInput', status: 'CampaignStatus', priority: 'Int', excludedSupplierIds: '[ID!]',
    });
    expect(fieldsOf('FilterRuleInput')).toEqual({ field: 'String!', op: 'FilterOp!', value: 'JSON' });
    expect(fieldsOf('CapInput')).toEqual({ period: 'CapPeriod!', maxLeads: 'Int', maxSpend: 'Money' });
    expect(fieldsOf('ScheduleInput')).toEqual({ timezone: 'String!', windows: '[ScheduleWindowInput!]!' });
    expect(fieldsOf('ScheduleWindowInput')).toEqual({ days: '[Weekday!]!', start: 'String!', end: 'String!' });
    expect(fieldsOf('CreateUserInput')).toEqual({ email: 'String!', password: 'String!', role: 'Role!', buyerId: 'ID' });
    const update = fieldsOf('CampaignUpdateInput');
    expect(Object.values(update).every((t) => !String(t).endsWith('!'))).toBe(true);
    expect(Object.keys(update).sort()).toEqual(Object.keys(fieldsOf('CampaignInput')).sort());

    const defaults = (type: string) =>
      Object.fromEntries(Object.values((schema.getType(type) as GraphQLInputObjectType).getFields()).filter((f) => f.defaultValue !== undefined).map((f) => [f.name, f.defaultValue]));
    expect(defaults('CreateSupplierInput')).toEqual({ payoutPercent: '70' });
    expect(defaults('CampaignInput')).toEqual({ status: 'ACTIVE', priority: 0, purchaseMode: 'EXCLUSIVE', weight: 1 });
    expect(defaults('CampaignUpdateInput')).toEqual({});

    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    expect(values('FilterOp')).toEqual(['EQ', 'NEQ', 'IN', 'NOT_IN', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'EXISTS', 'NOT_EXISTS', 'CONTAINS', 'STARTS_WITH']);
    expect(values('CapPeriod')).toEqual(['HOUR', 'DAY', 'WEEK', 'MONTH', 'TOTAL']);
    expect(values('Weekday')).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
    expect(values('CampaignStatus')).toEqual(['ACTIVE', 'PAUSED']);
    expect(values('Role')).toEqual(['ADMIN', 'FINANCE', 'BUYER']);
    for (const scalar of ['Money', 'JSON', 'DateTime']) expect(schema.getType(scalar)).toBeDefined();
  });

  it('has the live-campaign, routing and timeline additions', () => {
    const m = schema.getMutationType()!;
    expect(signature(m, 'updateVertical')).toBe('updateVertical(key: String!, input: UpdateVerticalInput!): Vertical!');
    expect(signature(m, 'setSupplierFloor')).toBe('setSupplierFloor(supplierId: ID!, vertical: String!, minPayout: Money): Boolean!');
    expect(signature(schema.getQueryType()!, 'lead')).toBe('lead(id: ID!): Lead');

    expect(fieldsOf('Campaign')).toMatchObject({
      template: 'JSON', purchaseMode: 'PurchaseMode!', weight: 'Int!', pausedReason: 'String', health: 'CampaignHealth!',
    });
    for (const input of ['CampaignInput', 'CampaignUpdateInput']) {
      expect(fieldsOf(input)).toMatchObject({ template: 'JSON', purchaseMode: 'PurchaseMode', weight: 'Int' });
    }
    expect(fieldsOf('CampaignHealth')).toEqual({
      pings: 'Int!', onTimeRate: 'Float', consecutiveFailures: 'Int!', lastFailureAt: 'DateTime', lastFailureReason: 'String',
    });
    expect(fieldsOf('TimelineEvent')).toEqual({
      at: 'DateTime!', kind: 'String!', outcome: 'String!', campaignId: 'ID', latencyMs: 'Int', price: 'Money', detail: 'JSON',
    });
    expect(fieldsOf('Vertical')).toMatchObject({ distributionMode: 'DistributionMode!' });
    expect(fieldsOf('UpdateVerticalInput')).toEqual({
      distributionMode: 'DistributionMode', maxSales: 'Int', floorPrice: 'Money', duplicateWindowDays: 'Int', returnWindowDays: 'Int', active: 'Boolean',
      returnAutoApproveReasons: '[ReturnReason!]',
    });
    expect(fieldsOf('Supplier')).toMatchObject({ floors: '[SupplierFloor!]!' });
    expect(fieldsOf('SupplierFloor')).toEqual({ vertical: 'String!', minPayout: 'Money!' });

    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    expect(values('PurchaseMode')).toEqual(['EXCLUSIVE', 'SHARED', 'BOTH']);
    expect(values('DistributionMode')).toEqual(['AUCTION', 'PRIORITY', 'ROUND_ROBIN', 'WEIGHTED']);
  });

  it("has the contract's delivery, feedback, returns and money operations", () => {
    const m = schema.getMutationType()!;
    expect(signature(m, 'redeliver')).toBe('redeliver(leadId: ID!): Boolean!');
    expect(signature(m, 'recordDisposition')).toBe('recordDisposition(leadId: ID!, disposition: Disposition!, note: String): Lead!');
    expect(signature(m, 'requestReturn')).toBe('requestReturn(leadId: ID!, reason: ReturnReason!, note: String): LeadReturn!');
    expect(signature(m, 'decideReturn')).toBe('decideReturn(id: ID!, approve: Boolean!, note: String): LeadReturn!');
    expect(signature(m, 'recordDeposit')).toBe('recordDeposit(buyerId: ID!, amount: Money!, reference: String): Buyer!');
    for (const input of ['CampaignInput', 'CampaignUpdateInput']) expect(fieldsOf(input)).toMatchObject({ delivery: 'DeliveryInput' });
    expect(fieldsOf('DeliveryInput')).toEqual({ method: 'DeliveryMethod!', url: 'String', email: 'String', headers: 'JSON', template: 'JSON' });
    expect(fieldsOf('LeadReturn')).toMatchObject({ id: 'ID!', leadId: 'ID!', status: 'ReturnStatus!', reason: 'ReturnReason!', amount: 'Money!' });

    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
    expect(values('DeliveryMethod')).toEqual(['NONE', 'WEBHOOK', 'EMAIL']);
    expect(values('Disposition')).toEqual(['CONTACTED', 'APPOINTMENT', 'CONVERTED', 'NOT_INTERESTED', 'BAD_DATA']);
    expect(values('ReturnReason')).toEqual(['INVALID_PHONE', 'INVALID_EMAIL', 'DUPLICATE', 'NOT_IN_MARKET', 'FRAUD', 'OTHER']);
    expect(values('ReturnStatus')).toEqual(['PENDING', 'APPROVED', 'REJECTED']);
  });

  it('has the buyer-settings and adjustment additions', () => {
    const m = schema.getMutationType()!;
    expect(signature(m, 'updateBuyer')).toBe('updateBuyer(id: ID!, input: UpdateBuyerInput!): Buyer!');
    expect(signature(m, 'recordAdjustment')).toBe('recordAdjustment(buyerId: ID!, amount: SignedMoney!, reason: String!): Buyer!');
    expect(fieldsOf('UpdateBuyerInput')).toEqual({ name: 'String', creditLimit: 'Money', maxReturnPercent: 'String', lowBalanceThreshold: 'Money', notifyEmail: 'String' });
    expect(fieldsOf('Buyer')).toMatchObject({ maxReturnPercent: 'String', lowBalanceThreshold: 'Money', notifyEmail: 'String' });
    expect(fieldsOf('Vertical')).toMatchObject({ returnAutoApproveReasons: '[ReturnReason!]!' });
  });
});
