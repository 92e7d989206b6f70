import { createAdmin, createItem, createUser, stockInvariantViolations, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('concurrent orders cannot oversell', () => {
  let t: TestApp;
  let seller: TestUser;
  let buyers: TestUser[];

  beforeAll(async () => {
    t = await createTestApp();
    seller = await createUser(t, 'SELLER');
    buyers = await Promise.all(Array.from({ length: 4 }, () => createUser(t, 'BUYER')));
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets exactly 5 of 20 simultaneous orders for 5 units through', async () => {
    const item = await createItem(t, seller, { quantity: 5 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post('/api/v1/orders/')
          .set(buyers[i % buyers.length].auth)
          .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'Race St 1', contact_phone: '+254700000000' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('insufficient_stock');
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 0, reserved: 5 });
  });

  it('gives the last cylinder to exactly one of two racing buyers', async () => {
    const item = await createItem(t, seller, { quantity: 1 });
    const [a, b] = await Promise.all(
      [buyers[0], buyers[1]].map((buyer) =>
        t.http
          .post('/api/v1/orders/')
          .set(buyer.auth)
          .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'Race St 2', contact_phone: '+254700000000' }),
      ),
    );
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 0, reserved: 1 });
  });

  it('keeps the figures right when orders, cancels and rejections interleave', async () => {
    const admin = await createAdmin(t);
    const item = await createItem(t, seller, { quantity: 10 });
    const placed = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.http
          .post('/api/v1/orders/')
          .set(buyers[i % buyers.length].auth)
          .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'Race St 3', contact_phone: '+254700000000' }),
      ),
    );
    const accepted = placed.filter((r) => r.status === 201).map((r) => ({ id: r.body.id as number, buyer: r.body.buyer as number }));
    expect(accepted).toHaveLength(10);
    // Half are cancelled by their buyers while the other half are rejected, all at once.
    await Promise.all(
      accepted.map((order, i) => {
        const buyer = buyers.find((b) => b.id === order.buyer)!;
        return i % 2 === 0
          ? t.http.post(`/api/v1/orders/${order.id}/cancel/`).set(buyer.auth)
          : t.http.post(`/api/v1/orders/${order.id}/reject/`).set(admin.auth);
      }),
    );
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 10, reserved: 0 });
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
