import { findStockMismatches } from '../src/inventory/stock-verify.js';
import { createItem, createUser, expectError, TestUser } from './support/factories.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * The network to a PostgreSQL server is cut mid-load and restored. The
 * embedded database runs inside the process, so there is no network to cut:
 * this suite runs when TEST_DATABASE_URL names a server.
 */
const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onServer('database outage', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let seller: TestUser;
  let buyer: TestUser;
  const saved = { ...process.env };

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL!);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.open();
    url.host = `127.0.0.1:${proxy.port}`;
    process.env.DATABASE_URL = url.toString();
    process.env.DB_CONNECT_TIMEOUT = '1s';
    process.env.DB_QUERY_TIMEOUT = '3s';
    t = await createTestApp();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    seller = await createUser(t, 'SELLER');
    buyer = await createUser(t, 'BUYER');
  });
  afterAll(async () => {
    await t.close();
    await proxy.cut();
    process.env.DB_CONNECT_TIMEOUT = saved.DB_CONNECT_TIMEOUT;
    process.env.DB_QUERY_TIMEOUT = saved.DB_QUERY_TIMEOUT;
  });

  const order = (itemId: number) =>
    t.http
      .post('/api/v1/orders/')
      .set(buyer.auth)
      .send({ gas_inventory: itemId, quantity: 1, delivery_address: 'Outage Road 1', contact_phone: '+254700000000' });

  it('answers 503 in the contract shape while the database is unreachable, then recovers by itself', async () => {
    const item = await createItem(t, seller, { quantity: 50 });
    // A burst of orders with the cut in the middle of it.
    const burst = Promise.all(Array.from({ length: 20 }, () => order(item.id)));
    await new Promise((r) => setTimeout(r, 15));
    await proxy.cut();
    const during = await burst;
    for (const res of during) expect([201, 503]).toContain(res.status);
    for (const res of during.filter((r) => r.status === 503)) expectError(res, 503, 'service_unavailable');

    const startedAt = Date.now();
    const [ready, list, place] = await Promise.all([
      t.http.get('/health/ready'),
      t.http.get('/api/v1/gas/').set(buyer.auth),
      order(item.id),
    ]);
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe('service_unavailable');
    expectError(list, 503, 'service_unavailable');
    expectError(place, 503, 'service_unavailable');
    expect(place.headers['retry-after']).toBe('5');
    // Failing fast: well under the client's patience, nothing hangs.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect((await t.http.get('/health/live')).status).toBe(200);

    await proxy.restore();
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await t.http.get('/health/ready')).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(true);
    expect((await order(item.id)).status).toBe(201);

    // No order is half-written: each one exists with its reservation and ledger rows, or not at all.
    expect(await findStockMismatches(t.db)).toEqual([]);
    const accepted = during.filter((r) => r.status === 201).length + 1;
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM orders WHERE gas_inventory_id = $1`, [item.id]);
    expect(n).toBeGreaterThanOrEqual(accepted);
    const stock = await t.http.get(`/api/v1/inventory/${item.id}/`).set(seller.auth);
    expect(stock.body).toMatchObject({ quantity: 50 - n, reserved_quantity: n });
  });
});
