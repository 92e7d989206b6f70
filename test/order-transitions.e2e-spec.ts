import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from '../src/orders/order-status.js';
import { createAdmin, createItem, createUser, expectError, placeOrder, stockInvariantViolations, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

type Move = 'approve' | 'reject' | 'cancel' | 'deliver' | 'withdraw' | 'edit';

/** How a client makes each move, and who makes it. */
const MOVES: Record<Move, { who: 'admin' | 'buyer' | 'seller'; send: (t: TestApp, user: TestUser, id: number) => Promise<{ status: number; body: any }> }> = {
  approve: { who: 'admin', send: (t, u, id) => t.http.post(`/api/v1/orders/${id}/approve/`).set(u.auth) },
  reject: { who: 'admin', send: (t, u, id) => t.http.post(`/api/v1/orders/${id}/reject/`).set(u.auth).send({ reason: 'No driver' }) },
  cancel: { who: 'buyer', send: (t, u, id) => t.http.post(`/api/v1/orders/${id}/cancel/`).set(u.auth) },
  deliver: { who: 'seller', send: (t, u, id) => t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(u.auth) },
  withdraw: { who: 'buyer', send: (t, u, id) => t.http.delete(`/api/v1/orders/${id}/`).set(u.auth) },
  edit: { who: 'buyer', send: (t, u, id) => t.http.patch(`/api/v1/orders/${id}/`).set(u.auth).send({ delivery_address: 'Elsewhere 9' }) },
};

/** Which statuses each move is allowed from: the table, plus editing while PENDING. */
const ALLOWED_FROM: Record<Move, readonly OrderStatus[]> = {
  approve: ORDER_TRANSITIONS.approve.from,
  reject: ORDER_TRANSITIONS.reject.from,
  cancel: ORDER_TRANSITIONS.cancel.from,
  deliver: ORDER_TRANSITIONS.deliver.from,
  withdraw: ORDER_TRANSITIONS.withdraw.from,
  edit: ['PENDING'],
};

/** The moves that bring a fresh PENDING order to each status. */
const PATH_TO: Record<OrderStatus, Move[]> = {
  PENDING: [],
  APPROVED: ['approve'],
  REJECTED: ['reject'],
  DELIVERED: ['approve', 'deliver'],
  CANCELLED: ['cancel'],
};

describe('order state machine', () => {
  let t: TestApp;
  let users: Record<'admin' | 'buyer' | 'seller', TestUser>;
  let itemId: number;

  beforeAll(async () => {
    t = await createTestApp();
    users = { admin: await createAdmin(t), buyer: await createUser(t, 'BUYER'), seller: await createUser(t, 'SELLER') };
    itemId = (await createItem(t, users.seller, { quantity: 1000 })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  async function orderIn(status: OrderStatus, quantity = 2): Promise<number> {
    const { id } = await placeOrder(t, users.buyer, itemId, quantity);
    for (const move of PATH_TO[status]) {
      const res = await MOVES[move].send(t, users[MOVES[move].who], id);
      expect(res.status).toBeLessThan(300);
    }
    return id;
  }

  async function snapshot(orderId: number) {
    const order = await t.http.get(`/api/v1/orders/${orderId}/`).set(users.admin.auth);
    return { status: order.body.status, address: order.body.delivery_address, stock: await stockOf(t, users.seller, itemId) };
  }

  const forbidden = (Object.keys(MOVES) as Move[]).flatMap((move) =>
    ORDER_STATUSES.filter((status) => !ALLOWED_FROM[move].includes(status)).map((status) => [move, status] as const),
  );

  it('forbids a move from every status the table does not list', () => {
    // 6 moves x 5 statuses, less the 7 allowed ones.
    expect(forbidden).toHaveLength(23);
  });

  it.each(forbidden)('%s from %s is 409 invalid_transition and changes nothing', async (move, status) => {
    const id = await orderIn(status);
    const before = await snapshot(id);
    const res = await MOVES[move].send(t, users[MOVES[move].who], id);
    expectError(res, 409, 'invalid_transition');
    expect(await snapshot(id)).toEqual(before);
  });

  const stockEffects: [Move, OrderStatus, OrderStatus, { quantity: number; reserved: number }][] = [
    // move, from, to, change in (available, reserved) for an order of 2
    ['approve', 'PENDING', 'APPROVED', { quantity: 0, reserved: 0 }],
    ['reject', 'PENDING', 'REJECTED', { quantity: 2, reserved: -2 }],
    ['cancel', 'PENDING', 'CANCELLED', { quantity: 2, reserved: -2 }],
    ['cancel', 'APPROVED', 'CANCELLED', { quantity: 2, reserved: -2 }],
    ['withdraw', 'PENDING', 'CANCELLED', { quantity: 2, reserved: -2 }],
    ['deliver', 'APPROVED', 'DELIVERED', { quantity: 0, reserved: -2 }],
  ];

  it.each(stockEffects)('%s from %s gives %s and moves the stock by %j', async (move, from, to, delta) => {
    const id = await orderIn(from);
    const before = await stockOf(t, users.seller, itemId);
    const res = await MOVES[move].send(t, users[MOVES[move].who], id);
    expect(res.status).toBe(move === 'withdraw' ? 204 : 200);
    expect((await snapshot(id)).status).toBe(to);
    expect(await stockOf(t, users.seller, itemId)).toEqual({
      quantity: before.quantity + delta.quantity,
      reserved: before.reserved + delta.reserved,
    });
  });

  it('places an order by reserving its units at once', async () => {
    const before = await stockOf(t, users.seller, itemId);
    await placeOrder(t, users.buyer, itemId, 5);
    expect(await stockOf(t, users.seller, itemId)).toEqual({ quantity: before.quantity - 5, reserved: before.reserved + 5 });
  });

  it('answers a new order with exactly the order as it is read afterwards, names and item details included', async () => {
    const placed = await placeOrder(t, users.buyer, itemId, 3);
    for (const reader of [users.buyer, users.seller, users.admin]) {
      const read = await t.http.get(`/api/v1/orders/${placed.id}/`).set(reader.auth);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(placed);
    }
    expect(placed).toMatchObject({ status: 'PENDING', quantity: 3, buyer: users.buyer.id, seller: users.seller.id });
  });

  it('refuses an order for more than is available with 409 insufficient_stock, changing nothing', async () => {
    const small = await createItem(t, users.seller, { quantity: 2 });
    const res = await t.http
      .post('/api/v1/orders/')
      .set(users.buyer.auth)
      .send({ gas_inventory: small.id, quantity: 3, delivery_address: 'A', contact_phone: '+254700000000' });
    expectError(res, 409, 'insufficient_stock');
    expect(await stockOf(t, users.seller, small.id)).toEqual({ quantity: 2, reserved: 0 });
  });

  it('keeps a rejection reason and lets the buyer edit a PENDING order', async () => {
    const id = await orderIn('PENDING');
    const edited = await MOVES.edit.send(t, users.buyer, id);
    expect(edited.status).toBe(200);
    expect(edited.body.delivery_address).toBe('Elsewhere 9');
    const rejected = await MOVES.reject.send(t, users.admin, id);
    expect(rejected.body.status).toBe('REJECTED');
  });

  it('refuses to delete an item while open orders hold its stock, and allows it afterwards', async () => {
    const item = await createItem(t, users.seller, { quantity: 3 });
    const { id } = await placeOrder(t, users.buyer, item.id, 1);
    expectError(await t.http.delete(`/api/v1/inventory/${item.id}/`).set(users.seller.auth), 409, 'in_use');
    await MOVES.reject.send(t, users.admin, id);
    expect((await t.http.delete(`/api/v1/inventory/${item.id}/`).set(users.seller.auth)).status).toBe(204);
    expectError(await t.http.get(`/api/v1/inventory/${item.id}/`).set(users.buyer.auth), 404, 'not_found');
    // The past order still shows what was ordered.
    const order = await t.http.get(`/api/v1/orders/${id}/`).set(users.buyer.auth);
    expect(order.body.gas_details.brand).toBe('JIBU');
    expectError(
      await t.http
        .post('/api/v1/orders/')
        .set(users.buyer.auth)
        .send({ gas_inventory: item.id, quantity: 1, delivery_address: 'A', contact_phone: '+254700000000' }),
      404,
      'not_found',
    );
  });

  it('lists by the query asked, whichever list was asked the same query before', async () => {
    // The pending list sets its own status on the query it gets; lists asked the same query string
    // afterwards must not inherit it (valid queries are validated once and remembered).
    const approved = await orderIn('APPROVED');
    const pending = await orderIn('PENDING');
    const statusesOf = async (path: string) => {
      const res = await t.http.get(`${path}?page_size=200`).set(users.admin.auth);
      expect(res.status).toBe(200);
      return new Map((res.body as { id: number; status: string }[]).map((o) => [o.id, o.status]));
    };
    for (let round = 0; round < 2; round++) {
      const onlyPending = await statusesOf('/api/v1/admin/orders/pending/');
      expect([...onlyPending.values()].every((status) => status === 'PENDING')).toBe(true);
      expect(onlyPending.has(pending)).toBe(true);
      const all = await statusesOf('/api/v1/orders/');
      expect({ approved: all.get(approved), pending: all.get(pending) }).toEqual({ approved: 'APPROVED', pending: 'PENDING' });
    }
  });

  it('leaves reserved stock equal to the open orders', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
