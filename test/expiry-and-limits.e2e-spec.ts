import { OrdersService } from '../src/orders/orders.service.js';
import { createAdmin, createItem, createUser, expectError, placeOrder, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('pending orders expire', () => {
  let t: TestApp;
  let seller: TestUser;
  let buyer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    [seller, buyer, admin] = [await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createAdmin(t)];
  });
  afterAll(async () => {
    await t.close();
  });

  const age = (orderId: number, hours: number) =>
    t.db.query(`UPDATE orders SET created_at = now() - make_interval(hours => $2) WHERE id = $1`, [orderId, hours]);

  it('cancels PENDING orders older than ORDER_PENDING_TTL (48h) with reason expired, releasing their stock', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const stale = await placeOrder(t, buyer, item.id, 3);
    const fresh = await placeOrder(t, buyer, item.id, 2);
    const approved = await placeOrder(t, buyer, item.id, 1);
    await t.http.post(`/api/v1/orders/${approved.id}/approve/`).set(admin.auth);
    await age(stale.id, 49);
    await age(fresh.id, 47);
    await age(approved.id, 100);

    await t.app.get(OrdersService).expireStale();

    const status = async (id: number) => (await t.http.get(`/api/v1/orders/${id}/`).set(buyer.auth)).body.status;
    expect([await status(stale.id), await status(fresh.id), await status(approved.id)]).toEqual(['CANCELLED', 'PENDING', 'APPROVED']);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 7, reserved: 3 });
    const [row] = await t.db.query(`SELECT status_reason FROM orders WHERE id = $1`, [stale.id]);
    expect(row.status_reason).toBe('expired');
    const movements = await t.http.get(`/api/v1/inventory/${item.id}/movements/`).set(seller.auth);
    expect(movements.body[0]).toMatchObject({ reason: 'RELEASE', order: stale.id, actor: null, note: 'expired' });
  });

  it('expires each order once when several instances run the job at the same moment', async () => {
    const item = await createItem(t, seller, { quantity: 20 });
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await placeOrder(t, buyer, item.id, 2));
    for (const o of orders) await age(o.id, 72);
    const service = t.app.get(OrdersService);
    const counts = await Promise.all([service.expireStale(), service.expireStale(), service.expireStale()]);
    const ours = await t.db.query(
      `SELECT count(*)::int AS n FROM stock_movements WHERE reason = 'RELEASE' AND order_id = ANY($1)`,
      [orders.map((o) => o.id)],
    );
    expect(ours[0].n).toBe(6);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 20, reserved: 0 });
  });
});

describe('per-buyer limits', () => {
  let t: TestApp;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.MAX_OPEN_ORDERS_PER_BUYER = '3';
    process.env.MAX_ORDER_QUANTITY = '5';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.MAX_OPEN_ORDERS_PER_BUYER = saved.MAX_OPEN_ORDERS_PER_BUYER;
    process.env.MAX_ORDER_QUANTITY = saved.MAX_ORDER_QUANTITY;
  });

  it('refuses more units per order than MAX_ORDER_QUANTITY with 409 limit_exceeded', async () => {
    const seller = await createUser(t, 'SELLER');
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller, { quantity: 50 });
    const res = await t.http
      .post('/api/v1/orders/')
      .set(buyer.auth)
      .send({ gas_inventory: item.id, quantity: 6, delivery_address: 'A', contact_phone: '+254700000000' });
    expectError(res, 409, 'limit_exceeded');
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 50, reserved: 0 });
  });

  it('refuses a buyer more open orders than MAX_OPEN_ORDERS_PER_BUYER, even all at once', async () => {
    const seller = await createUser(t, 'SELLER');
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller, { quantity: 50 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.http
          .post('/api/v1/orders/')
          .set(buyer.auth)
          .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'A', contact_phone: '+254700000000' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'limit_exceeded');
    // Cancelling one frees a slot.
    const placed = results.find((r) => r.status === 201)!;
    await t.http.post(`/api/v1/orders/${placed.body.id}/cancel/`).set(buyer.auth);
    expect((await placeOrder(t, buyer, item.id, 1)).status).toBe('PENDING');
  });
});
