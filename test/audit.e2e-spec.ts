import { createAdmin, createItem, createUser, expectError, placeOrder } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('audit trail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('records who changed an order, from what to what, and in which request', async () => {
    const [seller, buyer, admin] = [await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createAdmin(t)];
    const item = await createItem(t, seller, { quantity: 5 });
    const order = await placeOrder(t, buyer, item.id, 2);
    const approved = await t.http.post(`/api/v1/orders/${order.id}/approve/`).set(admin.auth).set('X-Request-Id', 'audit-test-approve-1');
    expect(approved.headers['x-request-id']).toBe('audit-test-approve-1');

    const trail = await t.http.get('/api/v1/admin/audit/').query({ object_type: 'order', object_id: order.id }).set(admin.auth);
    expect(trail.status).toBe(200);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(['order.approve', 'order.place']);
    expect(trail.body[0]).toMatchObject({
      actor: admin.id,
      object_type: 'order',
      object_id: order.id,
      before: { status: 'PENDING' },
      after: { status: 'APPROVED' },
      request_id: 'audit-test-approve-1',
    });
    expect(trail.body[1]).toMatchObject({ actor: buyer.id, after: { status: 'PENDING', quantity: 2 } });

    const byActor = await t.http.get('/api/v1/admin/audit/').query({ actor: seller.id }).set(admin.auth);
    expect(byActor.body.map((e: { action: string; object_id: number }) => [e.action, e.object_id])).toEqual([['item.create', item.id]]);
  });

  it('keeps the request id of a request with a JSON body (the context opens after the body is read)', async () => {
    const [seller, buyer, admin] = [await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createAdmin(t)];
    const item = await createItem(t, seller, { quantity: 5 });
    const placed = await t.http
      .post('/api/v1/orders/')
      .set(buyer.auth)
      .set('X-Request-Id', 'audit-test-place-1')
      .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'Moi Avenue 1, Nairobi', contact_phone: '+254700000001' });
    expect(placed.status).toBe(201);
    const trail = await t.http.get('/api/v1/admin/audit/').query({ object_type: 'order', object_id: placed.body.id }).set(admin.auth);
    expect(trail.body).toEqual([expect.objectContaining({ action: 'order.place', actor: buyer.id, request_id: 'audit-test-place-1' })]);
  });

  it('filters by time and paginates', async () => {
    const admin = await createAdmin(t);
    const future = await t.http.get('/api/v1/admin/audit/').query({ since: '2999-01-01T00:00:00Z' }).set(admin.auth);
    expect(future.body).toEqual([]);
    const page = await t.http.get('/api/v1/admin/audit/').query({ page_size: 1 }).set(admin.auth);
    expect(page.body).toHaveLength(1);
    expect(Number(page.headers['x-total-count'])).toBeGreaterThan(1);
    expectError(await t.http.get('/api/v1/admin/audit/').query({ since: 'yesterday' }).set(admin.auth), 400, 'validation_error');
    // Dates JavaScript reads but PostgreSQL's timestamps cannot hold.
    for (const since of ['-271821-04-20', '+275760-09-13T00:00:00Z']) {
      expectError(await t.http.get('/api/v1/admin/audit/').query({ since }).set(admin.auth), 400, 'validation_error');
      expectError(await t.http.get('/api/v1/admin/audit/').query({ until: since }).set(admin.auth), 400, 'validation_error');
    }
  });

  it('writes nothing for a change that failed', async () => {
    const [seller, buyer, admin] = [await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createAdmin(t)];
    const item = await createItem(t, seller, { quantity: 1 });
    const order = await placeOrder(t, buyer, item.id, 1);
    await t.http.post(`/api/v1/orders/${order.id}/cancel/`).set(buyer.auth);
    expectError(await t.http.post(`/api/v1/orders/${order.id}/approve/`).set(admin.auth), 409, 'invalid_transition');
    const trail = await t.http.get('/api/v1/admin/audit/').query({ object_type: 'order', object_id: order.id }).set(admin.auth);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(['order.cancel', 'order.place']);
  });

  it('is for admins only', async () => {
    const seller = await createUser(t, 'SELLER');
    expectError(await t.http.get('/api/v1/admin/audit/').set(seller.auth), 403, 'permission_denied');
  });
});
