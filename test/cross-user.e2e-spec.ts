import type { Response } from 'supertest';
import { createAdmin, createItem, createUser, expectError, placeOrder, stockInvariantViolations, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * Cross-user access: two buyers, two sellers and an admin. Whatever belongs to
 * another user of the same role is invisible (404 not_found, never a 403 that
 * would leak its existence), cannot be changed, and never shows up in a list
 * or nested inside another object. Each refused attempt is followed by a
 * check that nothing changed, and where it makes sense by the owner doing the
 * same thing successfully, so a 404 cannot come from anything but ownership.
 */
describe('cross-user access', () => {
  let t: TestApp;
  let buyerA: TestUser;
  let buyerB: TestUser;
  let seller1: TestUser;
  let seller2: TestUser;
  let admin: TestUser;
  let item1: number; // seller1's
  let item2: number; // seller2's

  /** Everything this suite creates, with its owners: the expected contents of every list. */
  const orders = new Map<number, { buyer: TestUser; seller: TestUser }>();
  const invoices = new Map<number, number>(); // invoice id → order id
  const payments = new Map<number, number>(); // payment id → invoice id
  const ratings = new Map<number, number>(); // rating id → order id
  const items = new Map<number, TestUser>(); // item id → seller

  /** Named objects the tests refer to. */
  const o = {} as Record<'aPending' | 'aBilled' | 'aOn2' | 'bBilled' | 'bOn1', number>;
  const inv = {} as Record<'aBilled' | 'bBilled' | 'bOn1', number>;
  const pay = {} as Record<'aBilled' | 'bBilled' | 'bOn1', number>;
  const rate = {} as Record<'aBilled' | 'bBilled' | 'bOn1', number>;

  const sellerOf = (itemId: number) => items.get(itemId)!;

  async function item(seller: TestUser): Promise<number> {
    const { id } = await createItem(t, seller, { quantity: 100, unit_price: '1500.00', location: `Cross ${seller.username}` });
    items.set(id, seller);
    return id;
  }

  async function order(buyer: TestUser, itemId: number, status: 'PENDING' | 'APPROVED' | 'DELIVERED' = 'PENDING'): Promise<number> {
    const { id } = await placeOrder(t, buyer, itemId, 2);
    orders.set(id, { buyer, seller: sellerOf(itemId) });
    if (status !== 'PENDING') expect((await t.http.post(`/api/v1/orders/${id}/approve/`).set(admin.auth)).status).toBe(200);
    if (status === 'DELIVERED') expect((await t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(sellerOf(itemId).auth)).status).toBe(200);
    return id;
  }

  async function invoice(orderId: number, approve = true): Promise<number> {
    const res = await t.http.post('/api/v1/seller/invoice/').set(orders.get(orderId)!.seller.auth).send({ order: orderId });
    expect(res.status).toBe(201);
    invoices.set(res.body.id, orderId);
    if (approve) expect((await t.http.post(`/api/v1/invoices/${res.body.id}/approve/`).set(admin.auth)).status).toBe(200);
    return res.body.id;
  }

  async function payment(invoiceId: number, amount = '500.00'): Promise<number> {
    const buyer = orders.get(invoices.get(invoiceId)!)!.buyer;
    const res = await t.http.post('/api/v1/payments/').set(buyer.auth).send({ invoice: invoiceId, amount, payment_method: 'M-Pesa' });
    expect(res.status).toBe(201);
    payments.set(res.body.id, invoiceId);
    return res.body.id;
  }

  async function rating(orderId: number): Promise<number> {
    const res = await t.http.post('/api/v1/feedback/').set(orders.get(orderId)!.buyer.auth).send({ order: orderId, rating: 4 });
    expect(res.status).toBe(201);
    ratings.set(res.body.id, orderId);
    return res.body.id;
  }

  /** An order as its buyer sees it, and its item's stock figures as its seller sees them. */
  async function orderState(orderId: number) {
    const { buyer, seller } = orders.get(orderId)!;
    const res = await t.http.get(`/api/v1/orders/${orderId}/`).set(buyer.auth);
    expect(res.status).toBe(200);
    return { order: res.body, stock: await stockOf(t, seller, res.body.gas_inventory) };
  }

  /** An item as its seller sees it, with its ETag (which changes with any change at all). */
  async function itemState(itemId: number) {
    const res = await t.http.get(`/api/v1/inventory/${itemId}/`).set(sellerOf(itemId).auth);
    expect(res.status).toBe(200);
    return { body: res.body, etag: res.headers.etag };
  }

  /** The admin's newest rows of a list: anything created during a test is among them. */
  async function adminList(path: string): Promise<Array<Record<string, any>>> {
    const res = await t.http.get(path).query({ page_size: 200 }).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    buyerA = await createUser(t, 'BUYER', { first_name: 'Alice' });
    buyerB = await createUser(t, 'BUYER', { first_name: 'Bob' });
    seller1 = await createUser(t, 'SELLER', { first_name: 'Sam' });
    seller2 = await createUser(t, 'SELLER', { first_name: 'Sue' });
    admin = await createAdmin(t);
    item1 = await item(seller1);
    item2 = await item(seller2);

    // Each buyer has orders with both sellers, so "own" differs for buyers and sellers.
    o.aPending = await order(buyerA, item1);
    o.aBilled = await order(buyerA, item1, 'DELIVERED');
    o.aOn2 = await order(buyerA, item2);
    o.bBilled = await order(buyerB, item2, 'DELIVERED');
    o.bOn1 = await order(buyerB, item1, 'DELIVERED');
    for (const key of ['aBilled', 'bBilled', 'bOn1'] as const) {
      inv[key] = await invoice(o[key]);
      pay[key] = await payment(inv[key]);
      rate[key] = await rating(o[key]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  // ---- reading another user's objects ------------------------------------

  type Lookup = readonly [string, () => TestUser, () => string];
  const reads = (viewer: () => TestUser, prefix: string, ids: () => { order: number; invoice: number; payment: number; rating: number }): Lookup[] => [
    [`${prefix} order`, viewer, () => `/api/v1/orders/${ids().order}/`],
    [`${prefix} invoice`, viewer, () => `/api/v1/invoices/${ids().invoice}/`],
    [`${prefix} payment`, viewer, () => `/api/v1/payments/${ids().payment}/`],
    [`${prefix} rating`, viewer, () => `/api/v1/ratings/${ids().rating}/`],
  ];
  const billedOf = (key: 'aBilled' | 'bBilled' | 'bOn1') => () => ({ order: o[key], invoice: inv[key], payment: pay[key], rating: rate[key] });

  const hidden: Lookup[] = [
    ...reads(() => buyerB, "buyer B reads buyer A's", billedOf('aBilled')),
    ['buyer B reads buyer A\'s pending order', () => buyerB, () => `/api/v1/orders/${o.aPending}/`],
    ...reads(() => buyerA, "buyer A reads buyer B's", billedOf('bBilled')),
    ...reads(() => seller2, "seller 2 reads seller 1's (buyer A)", billedOf('aBilled')),
    ...reads(() => seller2, "seller 2 reads seller 1's (buyer B)", billedOf('bOn1')),
    ['seller 2 reads seller 1\'s pending order', () => seller2, () => `/api/v1/orders/${o.aPending}/`],
    ...reads(() => seller1, "seller 1 reads seller 2's", billedOf('bBilled')),
  ];

  it.each(hidden)('%s → 404 not_found', async (_label, viewer, path) => {
    expectError(await t.http.get(path()).set(viewer().auth), 404, 'not_found');
  });

  const visible: Lookup[] = [
    ...reads(() => buyerA, 'buyer A reads own', billedOf('aBilled')),
    ...reads(() => seller1, 'seller 1 reads own (buyer A)', billedOf('aBilled')),
    ...reads(() => seller1, 'seller 1 reads own (buyer B)', billedOf('bOn1')),
    ...reads(() => buyerB, 'buyer B reads own', billedOf('bBilled')),
    ...reads(() => seller2, 'seller 2 reads own', billedOf('bBilled')),
    ...reads(() => admin, "admin reads buyer A's", billedOf('aBilled')),
    ...reads(() => admin, "admin reads buyer B's", billedOf('bBilled')),
  ];

  it.each(visible)('%s → 200 (control)', async (_label, viewer, path) => {
    const res = await t.http.get(path()).set(viewer().auth);
    expect(res.status).toBe(200);
    expect(`${res.body.id}`).toBe(path().split('/').filter(Boolean).pop());
  });

  // ---- buyer B acting on buyer A's orders --------------------------------

  describe("buyer B acting on buyer A's orders", () => {
    it('cannot edit it: 404, and the order and stock are unchanged; A can', async () => {
      const id = await order(buyerA, item1);
      const before = await orderState(id);
      const res = await t.http.patch(`/api/v1/orders/${id}/`).set(buyerB.auth).send({ delivery_address: 'Hijacked 1', contact_phone: '+254799999999' });
      expectError(res, 404, 'not_found');
      expect(await orderState(id)).toEqual(before);

      const own = await t.http.patch(`/api/v1/orders/${id}/`).set(buyerA.auth).send({ delivery_address: 'Moved 2' });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id, delivery_address: 'Moved 2', status: 'PENDING' });
    });

    it('cannot delete it: 404, and the order and stock are unchanged; A can', async () => {
      const id = await order(buyerA, item1);
      const before = await orderState(id);
      expectError(await t.http.delete(`/api/v1/orders/${id}/`).set(buyerB.auth), 404, 'not_found');
      expect(await orderState(id)).toEqual(before);
      expect(before.order).toMatchObject({ status: 'PENDING', buyer: buyerA.id });

      expect((await t.http.delete(`/api/v1/orders/${id}/`).set(buyerA.auth)).status).toBe(204);
      const after = await orderState(id);
      expect(after.order.status).toBe('CANCELLED');
      expect(after.stock).toEqual({ quantity: before.stock.quantity + 2, reserved: before.stock.reserved - 2 });
    });

    it.each(['PENDING', 'APPROVED'] as const)('cannot cancel it while %s: 404, unchanged; A can', async (status) => {
      const id = await order(buyerA, item1, status);
      const before = await orderState(id);
      expect(before.order.status).toBe(status);
      expectError(await t.http.post(`/api/v1/orders/${id}/cancel/`).set(buyerB.auth), 404, 'not_found');
      expect(await orderState(id)).toEqual(before);

      const own = await t.http.post(`/api/v1/orders/${id}/cancel/`).set(buyerA.auth);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('CANCELLED');
      expect((await orderState(id)).stock).toEqual({ quantity: before.stock.quantity + 2, reserved: before.stock.reserved - 2 });
    });

    it('cannot rate it: 404 and no rating is created; A then can (201)', async () => {
      const id = await order(buyerA, item1, 'DELIVERED');
      const res = await t.http.post('/api/v1/feedback/').set(buyerB.auth).send({ order: id, rating: 1, comment: 'Sabotage' });
      expectError(res, 404, 'not_found');
      expect((await adminList('/api/v1/ratings/')).filter((r) => r.order === id)).toEqual([]);
      const mine = await t.http.get('/api/v1/ratings/').query({ page_size: 200 }).set(buyerA.auth);
      expect(mine.body.filter((r: { order: number }) => r.order === id)).toEqual([]);

      const own = await t.http.post('/api/v1/feedback/').set(buyerA.auth).send({ order: id, rating: 5, comment: 'Great' });
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({ order: id, rating: 5, comment: 'Great', buyer_name: 'Alice BUYER', seller_name: 'Sam SELLER' });
      ratings.set(own.body.id, id);
    });

    it("cannot pay A's invoice: 404, no payment and the invoice unchanged; A then can (201)", async () => {
      const invoiceId = inv.aBilled;
      const paymentsOf = async () => (await adminList('/api/v1/payments/')).filter((p) => p.invoice === invoiceId).map((p) => p.id);
      const invoiceBefore = await t.http.get(`/api/v1/invoices/${invoiceId}/`).set(buyerA.auth);
      const paymentsBefore = await paymentsOf();
      expect(paymentsBefore).toEqual([pay.aBilled]);

      const res = await t.http.post('/api/v1/payments/').set(buyerB.auth).send({ invoice: invoiceId, amount: '100.00', payment_method: 'M-Pesa' });
      expectError(res, 404, 'not_found');
      expect(await paymentsOf()).toEqual(paymentsBefore);
      expect((await t.http.get(`/api/v1/invoices/${invoiceId}/`).set(buyerA.auth)).body).toEqual(invoiceBefore.body);

      const own = await t.http.post('/api/v1/payments/').set(buyerA.auth).send({ invoice: invoiceId, amount: '100.00', payment_method: 'M-Pesa' });
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({ invoice: invoiceId, amount: '100.00', status: 'PENDING' });
      payments.set(own.body.id, invoiceId);
    });
  });

  // ---- seller 2 acting on seller 1's items and orders --------------------

  describe("seller 2 acting on seller 1's items and orders", () => {
    const edits = [
      ['PATCH', { unit_price: '1.00', quantity: 0 }],
      ['PUT', { brand: 'TOTAL', weight_kg: 6, quantity: 0, unit_price: '1.00', location: 'Stolen' }],
    ] as const;

    it.each(edits)('cannot %s the item: 404, the item unchanged; seller 1 can', async (method, body) => {
      const id = await item(seller1);
      const before = await itemState(id);
      const verb = method === 'PATCH' ? 'patch' : 'put';
      expectError(await t.http[verb](`/api/v1/inventory/${id}/`).set(seller2.auth).send(body), 404, 'not_found');
      expect(await itemState(id)).toEqual(before);

      const own = await t.http[verb](`/api/v1/inventory/${id}/`).set(seller1.auth).send(body);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id, seller: seller1.id, unit_price: '1.00', quantity: 0 });
    });

    it('cannot delete the item: 404, the item unchanged and still listed; seller 1 can', async () => {
      const id = await item(seller1);
      const before = await itemState(id);
      expectError(await t.http.delete(`/api/v1/inventory/${id}/`).set(seller2.auth), 404, 'not_found');
      expect(await itemState(id)).toEqual(before);
      const listed = await t.http.get('/api/v1/gas/').query({ seller: seller1.id, page_size: 200 }).set(buyerA.auth);
      expect(listed.body.map((i: { id: number }) => i.id)).toContain(id);

      expect((await t.http.delete(`/api/v1/inventory/${id}/`).set(seller1.auth)).status).toBe(204);
      items.delete(id);
    });

    it("cannot restock the item or read its ledger: 404, the item unchanged", async () => {
      const before = await itemState(item1);
      expectError(await t.http.post(`/api/v1/inventory/${item1}/restock/`).set(seller2.auth).send({ quantity: 50 }), 404, 'not_found');
      expectError(await t.http.get(`/api/v1/inventory/${item1}/movements/`).set(seller2.auth), 404, 'not_found');
      expect(await itemState(item1)).toEqual(before);
      expect((await t.http.get(`/api/v1/inventory/${item1}/movements/`).set(seller1.auth)).status).toBe(200);
    });

    it("cannot invoice seller 1's approved order: 404 and no invoice exists; seller 1 then can (201)", async () => {
      const id = await order(buyerA, item1, 'APPROVED');
      const invoicesOf = async () => (await adminList('/api/v1/invoices/')).filter((i) => i.order === id);
      expectError(await t.http.post('/api/v1/seller/invoice/').set(seller2.auth).send({ order: id }), 404, 'not_found');
      expect(await invoicesOf()).toEqual([]);
      const s1View = await t.http.get('/api/v1/invoices/').query({ page_size: 200 }).set(seller1.auth);
      expect(s1View.body.filter((i: { order: number }) => i.order === id)).toEqual([]);

      const own = await t.http.post('/api/v1/seller/invoice/').set(seller1.auth).send({ order: id });
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({ order: id, amount: '3000.00', order_details: { id, seller: seller1.id, buyer: buyerA.id } });
      invoices.set(own.body.id, id);
      expect((await invoicesOf()).map((i) => i.id)).toEqual([own.body.id]);
    });

    it("cannot mark seller 1's order delivered: 404, the order and stock unchanged; seller 1 can", async () => {
      const id = await order(buyerB, item1, 'APPROVED');
      const before = await orderState(id);
      expectError(await t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(seller2.auth), 404, 'not_found');
      expect(await orderState(id)).toEqual(before);
      expect(before.order.status).toBe('APPROVED');

      const own = await t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(seller1.auth);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('DELIVERED');
      expect((await orderState(id)).stock).toEqual({ quantity: before.stock.quantity, reserved: before.stock.reserved - 2 });
    });
  });

  // ---- lists and nested objects -----------------------------------------

  const ownOrder = (user: TestUser, orderId: number) => {
    const owners = orders.get(orderId)!;
    return user.role === 'BUYER' ? owners.buyer.id === user.id : owners.seller.id === user.id;
  };
  const expectedIds = (user: TestUser, endpoint: string): number[] => {
    const pick = <K>(map: Map<number, K>, orderOf: (v: K) => number) => [...map].filter(([, v]) => ownOrder(user, orderOf(v))).map(([id]) => id);
    switch (endpoint) {
      case 'orders':
      case 'orders/my_orders':
      case 'seller/orders':
        return [...orders.keys()].filter((id) => ownOrder(user, id));
      case 'invoices':
        return pick(invoices, (orderId) => orderId);
      case 'payments':
        return pick(payments, (invoiceId) => invoices.get(invoiceId)!);
      case 'ratings':
        return pick(ratings, (orderId) => orderId);
      case 'seller/inventory':
        return [...items].filter(([, seller]) => seller.id === user.id).map(([id]) => id);
      default:
        throw new Error(endpoint);
    }
  };

  const who = { 'buyer A': () => buyerA, 'buyer B': () => buyerB, 'seller 1': () => seller1, 'seller 2': () => seller2 };
  const listCases = [
    ...(['buyer A', 'buyer B', 'seller 1', 'seller 2'] as const).flatMap((name) =>
      ['orders', 'invoices', 'payments', 'ratings'].map((endpoint) => [name, endpoint] as const),
    ),
    ['buyer A', 'orders/my_orders'],
    ['buyer B', 'orders/my_orders'],
    ['seller 1', 'seller/orders'],
    ['seller 2', 'seller/orders'],
    ['seller 1', 'seller/inventory'],
    ['seller 2', 'seller/inventory'],
  ] as const;

  const listIds = async (user: TestUser, endpoint: string) => {
    const res: Response = await t.http.get(`/api/v1/${endpoint}/`).query({ page_size: 200 }).set(user.auth);
    expect(res.status).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
    return res;
  };
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  it.each(listCases)('%s lists exactly their own rows of /%s', async (name, endpoint) => {
    const user = who[name]();
    const expected = expectedIds(user, endpoint);
    expect(expected.length).toBeGreaterThan(0);
    const res = await listIds(user, endpoint);
    expect(sorted(res.body.map((row: { id: number }) => row.id))).toEqual(sorted(expected));
  });

  it('lists every one of these rows to the admin', async () => {
    for (const [endpoint, map] of [
      ['orders', orders],
      ['invoices', invoices],
      ['payments', payments],
      ['ratings', ratings],
    ] as const) {
      const ids = (await adminList(`/api/v1/${endpoint}/`)).map((row) => row.id);
      expect(ids).toEqual(expect.arrayContaining([...map.keys()]));
    }
  });

  it.each(Object.keys(who) as Array<keyof typeof who>)("%s sees only their own orders nested in invoices and payments", async (name) => {
    const user = who[name]();
    const ownerField = user.role === 'BUYER' ? 'buyer' : 'seller';

    const invoiceList = (await listIds(user, 'invoices')).body as Array<Record<string, any>>;
    for (const row of invoiceList) {
      expect(row.order_details.id).toBe(row.order);
      expect(row.order_details[ownerField]).toBe(user.id);
    }
    expect(sorted(invoiceList.map((row) => row.order))).toEqual(sorted(expectedIds(user, 'invoices').map((id) => invoices.get(id)!)));

    const paymentList = (await listIds(user, 'payments')).body as Array<Record<string, any>>;
    for (const row of paymentList) {
      expect(row.invoice_details.id).toBe(row.invoice);
      expect(row.invoice_details.order_details.id).toBe(invoices.get(row.invoice));
      expect(row.invoice_details.order_details[ownerField]).toBe(user.id);
    }
    expect(sorted(paymentList.map((row) => row.invoice))).toEqual(sorted(expectedIds(user, 'payments').map((id) => payments.get(id)!)));

    // The single-object reads nest the same, caller-owned order.
    for (const row of invoiceList) {
      const one = await t.http.get(`/api/v1/invoices/${row.id}/`).set(user.auth);
      expect(one.body.order_details).toMatchObject({ id: row.order, [ownerField]: user.id });
    }
    for (const row of paymentList) {
      const one = await t.http.get(`/api/v1/payments/${row.id}/`).set(user.auth);
      expect(one.body.invoice_details).toMatchObject({ id: row.invoice, order_details: { [ownerField]: user.id } });
    }
  });

  it('leaves the stock figures consistent with the orders', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
