import type { Pool } from 'pg';
import { createItem, createUser, expectError, placeOrder, sendOrder, stockOf } from './support/factories.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The busy reads, and the statements of a transaction such as placing an
 * order (one), go to a PostgreSQL server as named statements, prepared once per
 * pooled connection (DB_PREPARED_STATEMENTS, on by default), and as plain
 * statements when it is off. With one pooled connection, the statements the
 * server holds for it are the app's.
 */
const onServer = process.env.TEST_DATABASE_URL !== undefined;

async function preparedOnTheConnection(t: TestApp): Promise<string[]> {
  const pool = (t.db.driver as unknown as { master: Pool }).master;
  const { rows } = await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time');
  return rows.map((r) => r.statement.replace(/\s+/g, ' '));
}

async function listTwice(t: TestApp) {
  const buyer = await createUser(t, 'BUYER');
  for (let n = 0; n < 2; n++) {
    const res = await t.http.get('/api/v1/gas/?brand=JIBU&page_size=5').set(buyer.auth);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    const mine = await t.http.get('/api/v1/orders/my_orders/').set(buyer.auth);
    expect(mine.status).toBe(200);
  }
}

(onServer ? describe : describe.skip)('prepared statements on a PostgreSQL server', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('sends the user lookup and the list reads as named statements, each prepared once', async () => {
    t = await createTestApp({ env: { DB_POOL_SIZE: '1', DB_PREPARED_STATEMENTS: undefined } });
    await listTwice(t);
    const prepared = await preparedOnTheConnection(t);
    expect(prepared).toContain('SELECT id, role, username FROM users WHERE id = $1 AND is_active');
    // Each list's page, with its count inside (selectJsonPage).
    const page = (table: string, filter: string) => (sql: string) =>
      sql.includes(' AS json, (SELECT count(*)::int AS total') && sql.includes(`FROM ${table}`) && sql.includes(filter);
    expect(prepared.some(page('gas_inventory g', 'g.brand_code = $1'))).toBe(true);
    expect(prepared.some(page('orders o', 'o.buyer_id = $1'))).toBe(true);
    // Two rounds of the same requests prepared each statement once.
    expect(new Set(prepared).size).toBe(prepared.length);
  });

  it('places orders with one named statement, prepared once, and a refused one changes nothing', async () => {
    t = await createTestApp({ env: { DB_POOL_SIZE: '1', DB_PREPARED_STATEMENTS: undefined } });
    const seller = await createUser(t, 'SELLER');
    const item = await createItem(t, seller, { quantity: 3 });
    const buyer = await createUser(t, 'BUYER');
    const before = await preparedOnTheConnection(t);
    await placeOrder(t, buyer, item.id, 1);
    await placeOrder(t, buyer, item.id, 1);
    // Short now: place_order reserves nothing and writes nothing.
    expectError(await sendOrder(t, buyer, item.id, 2), 409, 'insufficient_stock');
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 1, reserved: 2 });
    const mine = await t.http.get('/api/v1/orders/my_orders/').set(buyer.auth);
    expect(mine.body.map((o: { quantity: number }) => o.quantity)).toEqual([1, 1]);

    // The three orders added one statement to the connection: placing an order is one round trip.
    const added = (await preparedOnTheConnection(t)).filter((sql) => !before.includes(sql) && !sql.includes(' AS json, (SELECT count(*)::int AS total'));
    expect(added).toEqual(['SELECT * FROM place_order($1, $2, $3, $4, $5, $6, $7, $8)']);
  });

  it('sends them unnamed when DB_PREPARED_STATEMENTS=false', async () => {
    t = await createTestApp({ env: { DB_POOL_SIZE: '1', DB_PREPARED_STATEMENTS: 'false' } });
    await listTwice(t);
    expect(await preparedOnTheConnection(t)).toEqual([]);
  });
});
