import { randomUUID } from 'node:crypto';
import { createItem, createUser, expectError, stockOf, TestUser, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let seller: TestUser;
  let buyer: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    [seller, buyer, other] = [await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createUser(t, 'BUYER')];
  });
  afterAll(async () => {
    await t.close();
  });

  const order = (user: TestUser, itemId: number, key: string, quantity = 1) =>
    t.http
      .post('/api/v1/orders/')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({ gas_inventory: itemId, quantity, delivery_address: 'Retry Lane 1', contact_phone: '+254700000000' });

  const ordersOn = async (itemId: number) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM orders WHERE gas_inventory_id = $1`, [itemId]))[0].n as number;

  it('returns the first response to a retry without placing the order again', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const key = randomUUID();
    const first = await order(buyer, item.id, key, 2);
    expect(first.status).toBe(201);
    const retry = await order(buyer, item.id, key, 2);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await ordersOn(item.id)).toBe(1);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 8, reserved: 2 });
  });

  it('refuses the same key with a different body with 409', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const key = randomUUID();
    expect((await order(buyer, item.id, key, 1)).status).toBe(201);
    expectError(await order(buyer, item.id, key, 3), 409, 'idempotency_key_reused');
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 9, reserved: 1 });
  });

  it('keeps keys per user: another buyer may use the same key', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const key = randomUUID();
    expect((await order(buyer, item.id, key)).status).toBe(201);
    const theirs = await order(other, item.id, key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await ordersOn(item.id)).toBe(2);
  });

  it('does the work once when the same key arrives many times at once', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 8 }, () => order(buyer, item.id, key, 1)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    expect(await ordersOn(item.id)).toBe(1);
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 9, reserved: 1 });
  });

  it('stores nothing for a failed request, so a retry after the cause is fixed succeeds', async () => {
    const item = await createItem(t, seller, { quantity: 1 });
    const key = randomUUID();
    expectError(await order(buyer, item.id, key, 2), 409, 'insufficient_stock');
    await t.http.post(`/api/v1/inventory/${item.id}/restock/`).set(seller.auth).send({ quantity: 1 });
    expect((await order(buyer, item.id, key, 2)).status).toBe(201);
  });

  it('forgets keys after 24 hours', async () => {
    const item = await createItem(t, seller, { quantity: 10 });
    const key = randomUUID();
    expect((await order(buyer, item.id, key)).status).toBe(201);
    await t.db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const later = await order(buyer, item.id, key);
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(await ordersOn(item.id)).toBe(2);
  });

  it('covers registration, restock, invoices, payments and ratings too', async () => {
    const name = unique('idem');
    const body = { username: name, email: `${name}@example.com`, password: 'a-long-password', role: 'BUYER' };
    const key = randomUUID();
    const first = await t.http.post('/api/v1/register/').set('Idempotency-Key', key).send(body);
    const again = await t.http.post('/api/v1/register/').set('Idempotency-Key', key).send(body);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);

    const item = await createItem(t, seller, { quantity: 1 });
    const restockKey = randomUUID();
    for (let i = 0; i < 3; i++) {
      await t.http.post(`/api/v1/inventory/${item.id}/restock/`).set(seller.auth).set('Idempotency-Key', restockKey).send({ quantity: 4 });
    }
    expect(await stockOf(t, seller, item.id)).toEqual({ quantity: 5, reserved: 0 });

    const doc = await t.http.get('/api/docs-json');
    for (const path of ['/api/v1/orders', '/api/v1/register', '/api/v1/seller/invoice', '/api/v1/payments', '/api/v1/feedback', '/api/v1/inventory/{id}/restock']) {
      const names = (doc.body.paths[path].post.parameters ?? []).map((p: { name: string }) => p.name);
      expect([path, names]).toEqual([path, expect.arrayContaining(['Idempotency-Key'])]);
    }
  });

  it('rejects a malformed key with 400', async () => {
    const item = await createItem(t, seller);
    expectError(await order(buyer, item.id, 'has spaces in it'), 400, 'validation_error');
    expectError(await order(buyer, item.id, 'x'.repeat(256)), 400, 'validation_error');
  });
});
