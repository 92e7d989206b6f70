import { createAdmin, createUser, expectError, PASSWORD, stockInvariantViolations, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * The whole flow of the README, step by step, checking what a client sees at
 * each step: stock figures, statuses, the invoice, the payment, the rating.
 */
describe('walk-through: from stock to rating', () => {
  let t: TestApp;
  let buyer: TestUser;
  let seller: TestUser;
  let admin: TestUser;
  let itemId: number;
  let orderId: number;
  let invoiceId: number;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a buyer and a seller, creates an admin, and everyone logs in', async () => {
    buyer = await createUser(t, 'BUYER', { phone_number: '+254711111111', address: 'Moi Avenue 1' });
    seller = await createUser(t, 'SELLER');
    admin = await createAdmin(t);

    const me = await t.http.get('/api/v1/profiles/me/').set(buyer.auth);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: buyer.id,
      user: { id: buyer.id, username: buyer.username, email: buyer.email, first_name: 'Test', last_name: 'BUYER' },
      role: 'BUYER',
      phone_number: '+254711111111',
      address: 'Moi Avenue 1',
      is_active: true,
    });
    const adminMe = await t.http.get('/api/v1/profiles/me/').set(admin.auth);
    expect(adminMe.body.role).toBe('ADMIN');
  });

  it('lets the seller add stock', async () => {
    const res = await t.http
      .post('/api/v1/inventory/')
      .set(seller.auth)
      .send({ brand: 'jibu', weight_kg: 13, quantity: 10, unit_price: 2500, location: 'Westlands, Nairobi' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      brand: 'JIBU',
      weight_kg: 13,
      quantity: 10,
      reserved_quantity: 0,
      unit_price: '2500.00',
      seller: seller.id,
      seller_name: 'Test SELLER',
      location: 'Westlands, Nairobi',
    });
    expect(res.body.date_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    itemId = res.body.id;

    const list = await t.http.get('/api/v1/gas/').query({ seller: seller.id }).set(buyer.auth);
    expect(list.status).toBe(200);
    expect(list.headers['x-total-count']).toBe('1');
    expect(list.body.map((i: { id: number }) => i.id)).toEqual([itemId]);
  });

  it('reserves stock when the buyer orders', async () => {
    const res = await t.http
      .post('/api/v1/orders/')
      .set(buyer.auth)
      .send({ gas_inventory: itemId, quantity: 3, delivery_address: 'Moi Avenue 1, Nairobi', contact_phone: '+254711111111' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      gas_inventory: itemId,
      gas_details: { brand: 'JIBU', weight_kg: 13, unit_price: '2500.00', location: 'Westlands, Nairobi' },
      buyer: buyer.id,
      seller: seller.id,
      quantity: 3,
      total_price: '7500.00',
      status: 'PENDING',
      delivery_address: 'Moi Avenue 1, Nairobi',
      contact_phone: '+254711111111',
    });
    orderId = res.body.id;
    expect(await stockOf(t, seller, itemId)).toEqual({ quantity: 7, reserved: 3 });

    const pending = await t.http.get('/api/v1/admin/orders/pending/').set(admin.auth);
    expect(pending.body.map((o: { id: number }) => o.id)).toContain(orderId);
  });

  it('keeps the price the order was placed at when the seller changes it later', async () => {
    const res = await t.http.patch(`/api/v1/inventory/${itemId}/`).set(seller.auth).send({ unit_price: '2600.50' });
    expect(res.status).toBe(200);
    expect(res.body.unit_price).toBe('2600.50');
    const order = await t.http.get(`/api/v1/orders/${orderId}/`).set(buyer.auth);
    expect(order.body.total_price).toBe('7500.00');
  });

  it('lets the admin approve and the seller mark it delivered, consuming the reservation', async () => {
    const approved = await t.http.post(`/api/v1/orders/${orderId}/approve/`).set(admin.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');
    expect(await stockOf(t, seller, itemId)).toEqual({ quantity: 7, reserved: 3 });

    const delivered = await t.http.post(`/api/v1/orders/${orderId}/mark-delivered/`).set(seller.auth);
    expect(delivered.status).toBe(200);
    expect(delivered.body.status).toBe('DELIVERED');
    expect(await stockOf(t, seller, itemId)).toEqual({ quantity: 7, reserved: 0 });
  });

  it('lets the seller invoice the order and the admin approve and mark it paid', async () => {
    const created = await t.http.post('/api/v1/seller/invoice/').set(seller.auth).send({ order: orderId });
    expect(created.status).toBe(201);
    expect(created.body.invoice_number).toMatch(/^INV-[0-9A-F]{8}$/);
    expect(created.body).toMatchObject({
      order: orderId,
      amount: '7500.00',
      is_paid: false,
      payment_date: null,
      admin_approval: false,
      admin_approval_date: null,
    });
    expect(created.body.order_details).toMatchObject({ id: orderId, status: 'DELIVERED', total_price: '7500.00' });
    invoiceId = created.body.id;

    const pending = await t.http.get('/api/v1/admin/invoices/pending/').set(admin.auth);
    expect(pending.body.map((i: { id: number }) => i.id)).toContain(invoiceId);

    const approved = await t.http.post(`/api/v1/invoices/${invoiceId}/approve/`).set(admin.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.admin_approval).toBe(true);
    expect(approved.body.admin_approval_date).toMatch(/Z$/);

    const paid = await t.http.post(`/api/v1/invoices/${invoiceId}/mark-as-paid/`).set(admin.auth).send({});
    expect(paid.status).toBe(200);
    expect(paid.body.is_paid).toBe(true);
    expect(paid.body.payment_date).toMatch(/Z$/);

    const payments = await t.http.get('/api/v1/payments/').set(buyer.auth);
    expect(payments.status).toBe(200);
    expect(payments.body).toHaveLength(1);
    expect(payments.body[0]).toMatchObject({
      invoice: invoiceId,
      amount: '7500.00',
      status: 'COMPLETED',
      payment_method: 'Admin Approved',
      transaction_id: null,
    });
    expect(payments.body[0].invoice_details.invoice_number).toBe(created.body.invoice_number);

    const again = await t.http.post(`/api/v1/invoices/${invoiceId}/mark-as-paid/`).set(admin.auth).send({});
    expectError(again, 409, 'invalid_transition');
  });

  it('lets the buyer rate the delivered order once', async () => {
    const rated = await t.http.post('/api/v1/feedback/').set(buyer.auth).send({ order: orderId, rating: 5, comment: 'On time.' });
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({
      order: orderId,
      buyer_name: 'Test BUYER',
      seller_name: 'Test SELLER',
      rating: 5,
      comment: 'On time.',
    });
    const twice = await t.http.post('/api/v1/feedback/').set(buyer.auth).send({ order: orderId, rating: 4 });
    expectError(twice, 409, 'already_exists');

    const sellerView = await t.http.get('/api/v1/ratings/').set(seller.auth);
    expect(sellerView.body.map((r: { id: number }) => r.id)).toEqual([rated.body.id]);
  });

  it('refreshes tokens with rotation and revokes them on logout', async () => {
    const refreshed = await t.http.post('/api/v1/token/refresh/').send({ refresh: buyer.refresh });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh).not.toBe(buyer.refresh);
    const reused = await t.http.post('/api/v1/token/refresh/').send({ refresh: buyer.refresh });
    expectError(reused, 401, 'not_authenticated');

    const relogin = await t.http.post('/api/v1/login/').send({ username: buyer.email, password: PASSWORD });
    expect(relogin.status).toBe(200);
    const logout = await t.http
      .post('/api/v1/logout/')
      .set({ Authorization: `Bearer ${relogin.body.access}` })
      .send({ refresh: relogin.body.refresh });
    expect(logout.status).toBe(204);
    const afterLogout = await t.http.post('/api/v1/token/refresh/').send({ refresh: relogin.body.refresh });
    expectError(afterLogout, 401, 'not_authenticated');
  });

  it('leaves the stock figures consistent with the orders', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
