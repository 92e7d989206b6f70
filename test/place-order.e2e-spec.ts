import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAdmin, createItem, createUser, expectError, placeOrder, sendOrder, stockOf, type TestUser } from './support/factories.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Placing an order is one statement, `place_order` (migration
 * PlaceOrderFunction): the order, its stock reservation, its ledger row and its
 * audit row are all written, or none of them. The answer is built from what
 * that statement returned, with nothing read after it.
 */
describe('placing an order', () => {
  let t: TestApp;
  let seller: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_OPEN_ORDERS_PER_BUYER: '2' } });
    seller = await createUser(t, 'SELLER');
    admin = await createAdmin(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Everything an order could have written: the item's figures, its ledger, the buyer's orders and audit rows. */
  async function traceOf(buyer: TestUser, itemId: number) {
    const movements = await t.http.get(`/api/v1/inventory/${itemId}/movements/`).set(seller.auth);
    const orders = await t.http.get('/api/v1/orders/my_orders/').set(buyer.auth);
    const audit = await t.http.get('/api/v1/admin/audit/').query({ actor: buyer.id }).set(admin.auth);
    expect([movements.status, orders.status, audit.status]).toEqual([200, 200, 200]);
    return {
      stock: await stockOf(t, seller, itemId),
      movements: Number(movements.headers['x-total-count']),
      orders: orders.body.map((o: { id: number }) => o.id),
      audit: Number(audit.headers['x-total-count']),
    };
  }

  it('refuses, as not there, the stock of a seller an admin deactivated, and takes orders again once reactivated', async () => {
    const banned = await createUser(t, 'SELLER');
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, banned, { quantity: 5 });
    expect((await t.http.patch(`/api/v1/profiles/${banned.id}/`).set(admin.auth).send({ is_active: false })).status).toBe(200);
    expectError(await sendOrder(t, buyer, item.id, 1), 404, 'not_found');
    expect(await stockOf(t, admin, item.id)).toEqual({ quantity: 5, reserved: 0 });
    expect((await t.http.patch(`/api/v1/profiles/${banned.id}/`).set(admin.auth).send({ is_active: true })).status).toBe(200);
    expect((await sendOrder(t, buyer, item.id, 1)).status).toBe(201);
    expect(await stockOf(t, admin, item.id)).toEqual({ quantity: 4, reserved: 1 });
  });

  it('answers with the order exactly as it reads afterwards, its total in exact cents', async () => {
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller, { quantity: 10, unit_price: '0.10', weight_kg: 12.5, location: 'Kisumu Central' });
    const placed = await sendOrder(t, buyer, item.id, 3);
    expect(placed.status).toBe(201);
    // 0.1 * 3 is 0.30000000000000004 in floating point.
    expect(placed.body).toMatchObject({
      gas_inventory: item.id,
      gas_details: { brand: 'JIBU', weight_kg: 12.5, unit_price: '0.10', location: 'Kisumu Central' },
      buyer: buyer.id,
      seller: seller.id,
      quantity: 3,
      total_price: '0.30',
      status: 'PENDING',
      delivery_address: 'Moi Avenue 1, Nairobi',
      contact_phone: '+254700000001',
    });
    const read = await t.http.get(`/api/v1/orders/${placed.body.id}/`).set(buyer.auth);
    expect(read.body).toEqual(placed.body);
    const [listed] = (await t.http.get('/api/v1/orders/my_orders/').set(buyer.auth)).body;
    expect(listed).toEqual(placed.body);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 7, reserved: 3 });
  });

  it('writes nothing when it refuses an order: short stock, no such item, the open-order limit', async () => {
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller, { quantity: 3 });
    await placeOrder(t, buyer, item.id, 1);
    const before = await traceOf(buyer, item.id);
    expect(before).toMatchObject({ stock: { quantity: 2, reserved: 1 }, movements: 2, audit: 1 });

    const short = await sendOrder(t, buyer, item.id, 3);
    expectError(short, 409, 'insufficient_stock');
    expect(short.body.detail).toContain('2 unit(s) available');
    expect(await traceOf(buyer, item.id)).toEqual(before);

    expectError(await sendOrder(t, buyer, 2_000_000_000, 1), 404, 'not_found');
    expect(await traceOf(buyer, item.id)).toEqual(before);

    const deleted = await createItem(t, seller, { quantity: 3 });
    expect((await t.http.delete(`/api/v1/inventory/${deleted.id}/`).set(seller.auth)).status).toBe(204);
    expectError(await sendOrder(t, buyer, deleted.id, 1), 404, 'not_found');
    expect(await traceOf(buyer, item.id)).toEqual(before);

    await placeOrder(t, buyer, item.id, 1);
    const atLimit = await traceOf(buyer, item.id);
    expectError(await sendOrder(t, buyer, item.id, 1), 409, 'limit_exceeded');
    expect(await traceOf(buyer, item.id)).toEqual(atLimit);
    expect(atLimit).toMatchObject({ stock: { quantity: 1, reserved: 2 }, movements: 3, audit: 2 });
  });

  it('places nothing for a buyer deactivated after the request was let in', async () => {
    const buyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller, { quantity: 5 });
    await t.db.query('UPDATE users SET is_active = false WHERE id = $1', [buyer.id]);
    // As OrdersService.place calls it, past the check of the request's token.
    const [result] = await t.db.query(`SELECT outcome, id FROM place_order($1, $2, 1, 10, '{PENDING,APPROVED}', 'Moi Avenue 1', '+254700000001', NULL)`, [
      buyer.id,
      item.id,
    ]);
    expect(result).toEqual({ outcome: 'inactive', id: null });
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 5, reserved: 0 });
    const orders = await t.http.get('/api/v1/orders/').query({ page_size: 100 }).set(seller.auth);
    expect(orders.body.filter((o: { buyer: number }) => o.buyer === buyer.id)).toEqual([]);
  });
});
