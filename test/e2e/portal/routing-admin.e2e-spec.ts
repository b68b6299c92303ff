import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GqlError, PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalAdmin, insertPortalBuyerUser, insertPortalSupplier, insertPortalUser, openPortalTestDb, portalUnique } from '../../../libs/testing/src/portal-factories';

/** Operators' routing settings: a vertical's distribution mode and selling rules, and suppliers' floors. */
const VERTICAL_FIELDS = `key distributionMode maxSales floorPrice duplicateWindowDays returnWindowDays active`;
const UPDATE_VERTICAL = `mutation($key: String!, $input: UpdateVerticalInput!) { updateVertical(key: $key, input: $input) { ${VERTICAL_FIELDS} } }`;
const VERTICALS = `{ verticals { ${VERTICAL_FIELDS} } }`;
const SET_FLOOR = `mutation($supplierId: ID!, $vertical: String!, $minPayout: Money) { setSupplierFloor(supplierId: $supplierId, vertical: $vertical, minPayout: $minPayout) }`;
const SUPPLIERS = `{ suppliers { id floors { vertical minPayout } } }`;

function problems(errors: GqlError[] | undefined): Record<string, string> {
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions?.code).toBe('validation_failed');
  return Object.fromEntries(errors![0].extensions!.errors!.map((e) => [e.field, e.message]));
}

describe('routing settings (ADMIN)', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let adminToken: string;
  let buyerToken: string;
  let financeToken: string;
  /** A vertical of this suite's own (a copy of auto-insurance): other suites sell in the built-in ones. */
  let vertical: string;

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    const admin = await insertPortalAdmin(db);
    adminToken = await client.login(admin.email, admin.password);
    const buyer = await insertPortalBuyerUser(db);
    buyerToken = await client.login(buyer.email, buyer.password);
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    financeToken = await client.login(finance.email, finance.password);
    vertical = portalUnique('routing');
    await db.query(`INSERT INTO verticals (key, name, schema) SELECT $1, 'Routing test', schema FROM verticals WHERE key = 'auto-insurance'`, [vertical]);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('every vertical shows its distribution mode (AUCTION by default)', async () => {
    const all = (await client.gqlOk(VERTICALS, {}, buyerToken)).verticals as any[];
    expect(all.find((v) => v.key === 'auto-insurance').distributionMode).toBe('AUCTION');
    expect(all.find((v) => v.key === vertical)).toEqual({
      key: vertical, distributionMode: 'AUCTION', maxSales: 1, floorPrice: '0.00', duplicateWindowDays: 30, returnWindowDays: 7, active: true,
    });
  });

  it('an ADMIN changes the selling rules; fields left out or null stay as they are', async () => {
    const input = { distributionMode: 'WEIGHTED', maxSales: 3, floorPrice: '1.5', duplicateWindowDays: 14, returnWindowDays: 3 };
    expect((await client.gqlOk(UPDATE_VERTICAL, { key: vertical, input }, adminToken)).updateVertical).toEqual({
      key: vertical, distributionMode: 'WEIGHTED', maxSales: 3, floorPrice: '1.50', duplicateWindowDays: 14, returnWindowDays: 3, active: true,
    });
    const { rows } = await db.query(
      `SELECT distribution_mode, max_sales, floor_price::text AS floor_price, duplicate_window_days, return_window_days, active FROM verticals WHERE key = $1`,
      [vertical],
    );
    expect(rows[0]).toEqual({ distribution_mode: 'WEIGHTED', max_sales: 3, floor_price: '1.50', duplicate_window_days: 14, return_window_days: 3, active: true });

    const next = (await client.gqlOk(UPDATE_VERTICAL, { key: vertical, input: { distributionMode: 'PRIORITY', maxSales: null, active: false } }, adminToken)).updateVertical;
    expect(next).toEqual({ key: vertical, distributionMode: 'PRIORITY', maxSales: 3, floorPrice: '1.50', duplicateWindowDays: 14, returnWindowDays: 3, active: false });
    // an inactive vertical is hidden from buyers, still shown to the operator
    expect(((await client.gqlOk(VERTICALS, {}, buyerToken)).verticals as any[]).map((v) => v.key)).not.toContain(vertical);
    expect(((await client.gqlOk(VERTICALS, {}, adminToken)).verticals as any[]).map((v) => v.key)).toContain(vertical);
    await client.gqlOk(UPDATE_VERTICAL, { key: vertical, input: { active: true, distributionMode: 'ROUND_ROBIN' } }, adminToken);
  });

  it('refuses out-of-range rules, naming each, and changes nothing', async () => {
    const before = (await db.query(`SELECT max_sales, floor_price::text AS f, duplicate_window_days, return_window_days FROM verticals WHERE key = $1`, [vertical])).rows[0];
    const r = await client.gql(UPDATE_VERTICAL, { key: vertical, input: { maxSales: 21, duplicateWindowDays: -1, returnWindowDays: 4000 } }, adminToken);
    expect(Object.keys(problems(r.errors)).sort()).toEqual(['input.duplicateWindowDays', 'input.maxSales', 'input.returnWindowDays']);
    expect(Object.keys(problems((await client.gql(UPDATE_VERTICAL, { key: vertical, input: { maxSales: 0 } }, adminToken)).errors))).toEqual(['input.maxSales']);
    expect(Object.keys(problems((await client.gql(UPDATE_VERTICAL, { key: vertical, input: { floorPrice: '1.999' } }, adminToken)).errors))).toEqual(['input.floorPrice']);
    expect(Object.keys(problems((await client.gql(UPDATE_VERTICAL, { key: vertical, input: { distributionMode: 'LOTTERY' } }, adminToken)).errors))).toEqual([
      'input.distributionMode',
    ]);
    expect((await db.query(`SELECT max_sales, floor_price::text AS f, duplicate_window_days, return_window_days FROM verticals WHERE key = $1`, [vertical])).rows[0]).toEqual(before);

    const unknown = await client.gql(UPDATE_VERTICAL, { key: 'no-such-vertical', input: { maxSales: 2 } }, adminToken);
    expect(unknown.errors![0].extensions?.code).toBe('not_found');
  });

  it('only an ADMIN may change a vertical or a supplier floor', async () => {
    const supplierId = await insertPortalSupplier(db);
    for (const token of [buyerToken, financeToken]) {
      const v = await client.gql(UPDATE_VERTICAL, { key: vertical, input: { maxSales: 5 } }, token);
      expect(v.errors![0].extensions?.code).toBe('forbidden');
      expect(v.data).toBeNull();
      const f = await client.gql(SET_FLOOR, { supplierId, vertical, minPayout: '9.00' }, token);
      expect(f.errors![0].extensions?.code).toBe('forbidden');
    }
    expect((await db.query(`SELECT max_sales FROM verticals WHERE key = $1`, [vertical])).rows[0].max_sales).toBe(3);
    expect((await db.query(`SELECT count(*)::int AS n FROM supplier_floors WHERE supplier_id = $1`, [supplierId])).rows[0].n).toBe(0);
    expect((await client.gql(SET_FLOOR, { supplierId, vertical, minPayout: '9.00' })).errors![0].extensions?.code).toBe('unauthorized');
  });

  it("sets, changes and removes a supplier's floor per vertical, shown on the supplier", async () => {
    const supplierId = await insertPortalSupplier(db);
    const other = await insertPortalSupplier(db);
    expect((await client.gqlOk(SET_FLOOR, { supplierId, vertical, minPayout: '2.5' }, adminToken)).setSupplierFloor).toBe(true);
    expect((await client.gqlOk(SET_FLOOR, { supplierId, vertical: 'solar', minPayout: '4.00' }, adminToken)).setSupplierFloor).toBe(true);
    expect((await client.gqlOk(SET_FLOOR, { supplierId: other, vertical: 'mortgage', minPayout: '0.00' }, adminToken)).setSupplierFloor).toBe(true);
    const floorsOf = async (id: string) => {
      const rows = await db.query(`SELECT vertical_key, min_payout::text AS min_payout FROM supplier_floors WHERE supplier_id = $1 ORDER BY vertical_key`, [id]);
      return rows.rows;
    };
    expect(await floorsOf(supplierId)).toEqual([
      { vertical_key: vertical, min_payout: '2.50' },
      { vertical_key: 'solar', min_payout: '4.00' },
    ].sort((x, y) => x.vertical_key.localeCompare(y.vertical_key)));

    const query = jest.spyOn(app.get(DataSource), 'query');
    try {
      const suppliers = new Map(((await client.gqlOk(SUPPLIERS, {}, adminToken)).suppliers as any[]).map((s) => [s.id, s.floors]));
      expect(suppliers.get(supplierId)).toEqual(
        [{ vertical, minPayout: '2.50' }, { vertical: 'solar', minPayout: '4.00' }].sort((x, y) => x.vertical.localeCompare(y.vertical)),
      );
      expect(suppliers.get(other)).toEqual([{ vertical: 'mortgage', minPayout: '0.00' }]);
      expect(suppliers.size).toBeGreaterThanOrEqual(2);
      expect(query.mock.calls.filter(([sql]) => String(sql).includes('supplier_floors'))).toHaveLength(1);
    } finally {
      query.mockRestore();
    }

    await client.gqlOk(SET_FLOOR, { supplierId, vertical, minPayout: '3.00' }, adminToken);
    expect((await floorsOf(supplierId)).find((f) => f.vertical_key === vertical)).toEqual({ vertical_key: vertical, min_payout: '3.00' });
    expect((await client.gqlOk(SET_FLOOR, { supplierId, vertical, minPayout: null }, adminToken)).setSupplierFloor).toBe(true);
    expect(await floorsOf(supplierId)).toEqual([{ vertical_key: 'solar', min_payout: '4.00' }]);
    // removing a floor that is not there is not an error
    expect((await client.gqlOk(SET_FLOOR, { supplierId, vertical }, adminToken)).setSupplierFloor).toBe(true);
  });

  it('refuses an unknown supplier or vertical, naming both, and a bad amount', async () => {
    const r = await client.gql(SET_FLOOR, { supplierId: '00000000-0000-4000-8000-000000000000', vertical: 'no-such-vertical', minPayout: '1.00' }, adminToken);
    expect(problems(r.errors)).toEqual({
      supplierId: 'no supplier with id 00000000-0000-4000-8000-000000000000',
      vertical: 'unknown vertical "no-such-vertical"',
    });
    const malformed = await client.gql(SET_FLOOR, { supplierId: 'nope', vertical, minPayout: '1.00' }, adminToken);
    expect(Object.keys(problems(malformed.errors))).toEqual(['supplierId']);
    const supplierId = await insertPortalSupplier(db);
    for (const minPayout of ['-1.00', '1.001']) {
      expect(Object.keys(problems((await client.gql(SET_FLOOR, { supplierId, vertical, minPayout }, adminToken)).errors))).toEqual(['minPayout']);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM supplier_floors WHERE supplier_id = $1`, [supplierId])).rows[0].n).toBe(0);
  });
});
