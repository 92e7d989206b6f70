import { findStockMismatches } from '../src/inventory/stock-verify.js';
import { createAdmin, createItem, createUser, expectError, placeOrder, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('stock ledger', () => {
  let t: TestApp;
  let seller: TestUser;
  let other: TestUser;
  let buyer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    [seller, other, buyer, admin] = [await createUser(t, 'SELLER'), await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createAdmin(t)];
  });
  afterAll(async () => {
    await t.close();
  });

  const movementsOf = async (user: TestUser, itemId: number) => {
    const res = await t.http.get(`/api/v1/inventory/${itemId}/movements/`).set(user.auth);
    expect(res.status).toBe(200);
    return (res.body as { reason: string; quantity_change: number; reserved_change: number; order: number | null; actor: number | null; note: string | null }[])
      .map(({ reason, quantity_change, reserved_change, order, actor, note }) => ({ reason, quantity_change, reserved_change, order, actor, note }))
      .reverse();
  };

  it('records every change to an item, in order, and the sums equal the figures', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const restocked = await t.http.post(`/api/v1/inventory/${item.id}/restock/`).set(seller.auth).send({ quantity: 5, note: 'Depot run' });
    expect(restocked.status).toBe(200);
    expect(restocked.body.quantity).toBe(15);
    const adjusted = await t.http.patch(`/api/v1/inventory/${item.id}/`).set(seller.auth).send({ quantity: 12 });
    expect(adjusted.body.quantity).toBe(12);
    const kept = await placeOrder(t, buyer, item.id, 4);
    const dropped = await placeOrder(t, buyer, item.id, 2);
    await t.http.post(`/api/v1/orders/${dropped.id}/cancel/`).set(buyer.auth);
    await t.http.post(`/api/v1/orders/${kept.id}/approve/`).set(admin.auth);
    await t.http.post(`/api/v1/orders/${kept.id}/mark-delivered/`).set(seller.auth);

    expect(await movementsOf(seller, item.id)).toEqual([
      { reason: 'INITIAL', quantity_change: 10, reserved_change: 0, order: null, actor: seller.id, note: null },
      { reason: 'RESTOCK', quantity_change: 5, reserved_change: 0, order: null, actor: seller.id, note: 'Depot run' },
      { reason: 'ADJUSTMENT', quantity_change: -3, reserved_change: 0, order: null, actor: seller.id, note: null },
      { reason: 'RESERVE', quantity_change: -4, reserved_change: 4, order: kept.id, actor: buyer.id, note: null },
      { reason: 'RESERVE', quantity_change: -2, reserved_change: 2, order: dropped.id, actor: buyer.id, note: null },
      { reason: 'RELEASE', quantity_change: 2, reserved_change: -2, order: dropped.id, actor: buyer.id, note: null },
      { reason: 'CONSUME', quantity_change: 0, reserved_change: -4, order: kept.id, actor: seller.id, note: null },
    ]);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 8, reserved: 0 });
    expect(await findStockMismatches(t.db)).toEqual([]);
  });

  it('shows the ledger to the item’s seller and admins only', async () => {
    const item = await createItem(t, seller);
    expect((await t.http.get(`/api/v1/inventory/${item.id}/movements/`).set(admin.auth)).status).toBe(200);
    expectError(await t.http.get(`/api/v1/inventory/${item.id}/movements/`).set(other.auth), 404, 'not_found');
    expectError(await t.http.get(`/api/v1/inventory/${item.id}/movements/`).set(buyer.auth), 403, 'permission_denied');
  });

  it('refuses to restock another seller’s item or by a non-positive amount', async () => {
    const item = await createItem(t, seller, { quantity: 3 });
    expectError(await t.http.post(`/api/v1/inventory/${item.id}/restock/`).set(other.auth).send({ quantity: 5 }), 404, 'not_found');
    expectError(await t.http.post(`/api/v1/inventory/${item.id}/restock/`).set(seller.auth).send({ quantity: 0 }), 400, 'validation_error');
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 3, reserved: 0 });
  });

  it('refuses edits and deletes of the ledger in the database itself', async () => {
    await expect(t.db.query(`UPDATE stock_movements SET quantity_change = 999`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM stock_movements`)).rejects.toThrow(/append-only/);
  });

  describe('ETag and If-Match', () => {
    it('sends an ETag that changes with every change, stock movements included', async () => {
      const created = await t.http
        .post('/api/v1/inventory/')
        .set(seller.auth)
        .send({ brand: 'MERU', weight_kg: 6, quantity: 5, unit_price: 900, location: 'Kisumu' });
      const first = created.headers.etag;
      expect(first).toMatch(/^"\d+\.\d+"$/);
      expect((await t.http.get(`/api/v1/inventory/${created.body.id}/`).set(buyer.auth)).headers.etag).toBe(first);
      await placeOrder(t, buyer, created.body.id, 1);
      expect((await t.http.get(`/api/v1/inventory/${created.body.id}/`).set(buyer.auth)).headers.etag).not.toBe(first);
    });

    it('lets one of two editors with the same ETag win and gives the other 412, changing nothing', async () => {
      const item = await createItem(t, seller, { quantity: 5, unit_price: '1000.00' });
      const etag = (await t.http.get(`/api/v1/inventory/${item.id}/`).set(seller.auth)).headers.etag;
      const first = await t.http.patch(`/api/v1/inventory/${item.id}/`).set(seller.auth).set('If-Match', etag).send({ unit_price: '1100.00' });
      expect(first.status).toBe(200);
      const second = await t.http.put(`/api/v1/inventory/${item.id}/`).set(seller.auth).set('If-Match', etag).send({ unit_price: '1200.00' });
      expectError(second, 412, 'precondition_failed');
      const now = await t.http.get(`/api/v1/inventory/${item.id}/`).set(seller.auth);
      expect(now.body.unit_price).toBe('1100.00');
      expect(now.headers.etag).toBe(first.headers.etag);
      const third = await t.http.patch(`/api/v1/inventory/${item.id}/`).set(seller.auth).set('If-Match', now.headers.etag).send({ unit_price: '1200.00' });
      expect(third.status).toBe(200);
    });

    it('treats If-Match * or no header as unconditional, and another item’s ETag as stale', async () => {
      const a = await createItem(t, seller);
      const b = await createItem(t, seller);
      const etagB = (await t.http.get(`/api/v1/inventory/${b.id}/`).set(seller.auth)).headers.etag;
      expect((await t.http.patch(`/api/v1/inventory/${a.id}/`).set(seller.auth).set('If-Match', '*').send({ quantity: 1 })).status).toBe(200);
      expectError(await t.http.patch(`/api/v1/inventory/${a.id}/`).set(seller.auth).set('If-Match', etagB).send({ quantity: 2 }), 412, 'precondition_failed');
    });
  });
});
