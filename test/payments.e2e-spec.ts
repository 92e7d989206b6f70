import { createAdmin, createItem, createUser, expectError, placeOrder, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * Payments against an invoice: what a buyer reports stays PENDING until an
 * admin settles it, and settling never takes an invoice past its amount or
 * pays for an order that was called off.
 */
describe('payments', () => {
  let t: TestApp;
  let buyer: TestUser;
  let seller: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    [buyer, seller, admin] = [await createUser(t, 'BUYER'), await createUser(t, 'SELLER'), await createAdmin(t)];
  });
  afterAll(async () => {
    await t.close();
  });

  /** An approved order of 2 × 2,700.00 and its invoice (5,400.00), approved by the admin when asked. */
  async function invoicedOrder(opts: { approveInvoice?: boolean } = {}) {
    const item = await createItem(t, seller, { unit_price: '2700.00', quantity: 10 });
    const order = await placeOrder(t, buyer, item.id, 2);
    expect((await t.http.post(`/api/v1/orders/${order.id}/approve/`).set(admin.auth)).status).toBe(200);
    const invoice = await t.http.post('/api/v1/seller/invoice/').set(seller.auth).send({ order: order.id });
    expect(invoice.status).toBe(201);
    expect(invoice.body.amount).toBe('5400.00');
    if (opts.approveInvoice) expect((await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve/`).set(admin.auth)).status).toBe(200);
    return { orderId: order.id as number, invoiceId: invoice.body.id as number };
  }

  const report = (invoice: number, amount: string) =>
    t.http.post('/api/v1/payments/').set(buyer.auth).send({ invoice, amount, payment_method: 'M-Pesa' });
  const settle = (payment: number, status: 'COMPLETED' | 'FAILED') => t.http.patch(`/api/v1/payments/${payment}/`).set(admin.auth).send({ status });
  const invoiceOf = async (id: number) => (await t.http.get(`/api/v1/invoices/${id}/`).set(admin.auth)).body;

  it('pays the invoice when completed payments reach its amount, and refuses to complete one beyond it', async () => {
    const { invoiceId } = await invoicedOrder();
    // Each is within what is outstanding when reported; together they exceed it.
    const reported = [await report(invoiceId, '2700.00'), await report(invoiceId, '2700.00'), await report(invoiceId, '0.10')];
    for (const res of reported) expect(res.status).toBe(201);
    const [first, second, third] = reported.map((res) => res.body.id as number);

    expect((await settle(first, 'COMPLETED')).status).toBe(200);
    expect((await settle(second, 'COMPLETED')).status).toBe(200);
    expect(await invoiceOf(invoiceId)).toMatchObject({ is_paid: true, amount: '5400.00' });

    const beyond = await settle(third, 'COMPLETED');
    expectError(beyond, 409, 'invalid_transition');
    const payment = await t.http.get(`/api/v1/payments/${third}/`).set(admin.auth);
    expect(payment.body.status).toBe('PENDING');
    // It can still be closed as FAILED.
    expect((await settle(third, 'FAILED')).body.status).toBe('FAILED');
    expectError(await report(invoiceId, '1.00'), 409, 'invalid_transition');
  });

  it('refuses to complete a payment larger than what later payments left outstanding', async () => {
    const { invoiceId } = await invoicedOrder();
    const big = (await report(invoiceId, '5000.00')).body.id as number;
    const small = (await report(invoiceId, '1000.00')).body.id as number;
    expect((await settle(small, 'COMPLETED')).status).toBe(200);
    const refused = await settle(big, 'COMPLETED');
    expectError(refused, 409, 'invalid_transition');
    expect(refused.body.detail).toContain('4400.00');
    expect(await invoiceOf(invoiceId)).toMatchObject({ is_paid: false });
  });

  it('keeps an order the buyer paid for, in full or in part, from being cancelled, and its stock reserved', async () => {
    const stock = async (orderId: number) => {
      const order = await t.http.get(`/api/v1/orders/${orderId}/`).set(admin.auth);
      return [order.body.status, (await t.http.get(`/api/v1/inventory/${order.body.gas_inventory}/`).set(admin.auth)).body.reserved_quantity];
    };
    const paid = await invoicedOrder({ approveInvoice: true });
    expect((await t.http.post(`/api/v1/invoices/${paid.invoiceId}/mark-as-paid/`).set(admin.auth).send({})).status).toBe(200);
    expectError(await t.http.post(`/api/v1/orders/${paid.orderId}/cancel/`).set(buyer.auth), 409, 'invalid_transition');
    expect(await stock(paid.orderId)).toEqual(['APPROVED', 2]);

    const part = await invoicedOrder();
    const first = (await report(part.invoiceId, '100.00')).body.id as number;
    expect((await settle(first, 'COMPLETED')).status).toBe(200);
    expectError(await t.http.post(`/api/v1/orders/${part.orderId}/cancel/`).set(buyer.auth), 409, 'invalid_transition');
    expect(await stock(part.orderId)).toEqual(['APPROVED', 2]);
  });

  it('takes no payment for an order cancelled after it was invoiced, but lets a reported one be marked FAILED', async () => {
    const { orderId, invoiceId } = await invoicedOrder({ approveInvoice: true });
    const reported = (await report(invoiceId, '100.00')).body.id as number;
    expect((await t.http.post(`/api/v1/orders/${orderId}/cancel/`).set(buyer.auth)).status).toBe(200);

    expectError(await report(invoiceId, '100.00'), 409, 'invalid_transition');
    expectError(await settle(reported, 'COMPLETED'), 409, 'invalid_transition');
    expectError(await t.http.post(`/api/v1/invoices/${invoiceId}/mark-as-paid/`).set(admin.auth).send({}), 409, 'invalid_transition');
    expect((await settle(reported, 'FAILED')).body.status).toBe('FAILED');
    expect(await invoiceOf(invoiceId)).toMatchObject({ is_paid: false });
    const payments = await t.http.get('/api/v1/payments/').query({ page_size: 200 }).set(admin.auth);
    expect(payments.body.filter((p: { invoice: number }) => p.invoice === invoiceId).map((p: { status: string }) => p.status)).toEqual(['FAILED']);
  });
});
