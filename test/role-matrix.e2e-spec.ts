import type { Response } from 'supertest';
import { createAdmin, createItem, createUser, expectError, PASSWORD, placeOrder, stockOf, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * The role × endpoint matrix: for every route of the API, what each kind of
 * caller gets. Cells that change state get fresh state of their own (a new
 * item, order, invoice, ...), and BUYER / SELLER cells act as the buyer who
 * placed the order or the seller who owns the item, so the role alone decides
 * the answer. A denied cell must also leave the state as it was.
 *
 * Each row also declares, for every role allowed on the route, what a PEER
 * gets: another user of the same role acting on the owner's object (another
 * buyer on the buyer's order, invoice, payment or rating; another seller on
 * the seller's item or order; another admin, who sees everything). On an
 * object a peer gets 404 not_found and the object stays as it was; on a list
 * scoped to its caller (`rowOwner`) the peer gets 200 with none of the
 * owner's rows; where nothing has an owner the peer gets what the role gets.
 * Whatever a buyer or seller receives, every nested `order_details` (also
 * inside `invoice_details`) is one of their own orders.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Caller = 'anonymous' | 'BUYER' | 'SELLER' | 'ADMIN';
type Role = Exclude<Caller, 'anonymous'>;
const CALLERS: readonly Caller[] = ['anonymous', 'BUYER', 'SELLER', 'ADMIN'];
const ROLES: readonly Role[] = ['BUYER', 'SELLER', 'ADMIN'];
const ERROR_CODES: Record<number, string> = { 401: 'not_authenticated', 403: 'permission_denied', 404: 'not_found' };

/** The users an order (or what hangs off it) belongs to. */
interface Owner {
  buyer?: number;
  seller?: number;
}

/** What one cell needs: the id for `{id}`, the body, and who acts for each role (default: the world's users). */
interface Fixture {
  id?: number;
  body?: object;
  as?: Partial<Record<Role, TestUser>>;
  /** A read-only view of what the request could change; a denied cell must leave it equal. */
  snapshot?: () => Promise<unknown>;
  /** Extra checks after a denied cell, for state that cannot be read without changing it. */
  stillIntact?: () => Promise<void>;
}

interface Row {
  method: Method;
  /** The canonical path as the OpenAPI document writes it. */
  path: string;
  /** Distinguishes two rows for one route (e.g. registering a buyer vs. an admin). */
  variant?: string;
  expected: Record<Caller, number>;
  /**
   * What a peer gets: another user of the same role as the owner (the user who acts in the role's cell),
   * acting on the same fixture. Exactly one entry for each role the route allows (2xx in `expected`).
   */
  peer: Partial<Record<Role, number>>;
  /**
   * Marks a list scoped to its caller, and says who owns a listed row (looked up apart from the row).
   * A peer's list must then hold only the peer's rows and none of the owner's.
   */
  rowOwner?: (row: any) => Promise<Owner>;
  /** Builds the cell's state; called once per cell, so cells never share what they change. */
  arrange: (caller: Caller) => Promise<Fixture>;
  /** What an allowed caller sees in the response (and afterwards). */
  ok?: (res: Response, fx: Fixture, user: TestUser | undefined) => void | Promise<void>;
}

const ANY_AUTHENTICATED = { anonymous: 401, BUYER: 200, SELLER: 200, ADMIN: 200 } as const;
const ADMIN_ONLY = { anonymous: 401, BUYER: 403, SELLER: 403, ADMIN: 200 } as const;
const PUBLIC_200 = { anonymous: 200, BUYER: 200, SELLER: 200, ADMIN: 200 } as const;
/** Peers: routes where nothing is owned, so a peer gets what the role gets. */
const EVERY_PEER_200 = { BUYER: 200, SELLER: 200, ADMIN: 200 } as const;
/** Peers: reading the owner's object, which another admin may see. */
const HIDDEN_FROM_PEERS = { BUYER: 404, SELLER: 404, ADMIN: 200 } as const;
/** Peers: admin-only routes, where one admin may do what another may. */
const ADMIN_PEER_200 = { ADMIN: 200 } as const;

describe('role × endpoint matrix', () => {
  let t: TestApp;
  /** The standing cast and read-only objects shared by cells that change nothing. */
  const w = {} as {
    buyer: TestUser;
    seller: TestUser;
    admin: TestUser;
    itemId: number;
    orderId: number;
    invoiceId: number;
    paymentId: number;
    ratingId: number;
  };
  /**
   * The peers: a second user of each role. The peer buyer has delivered, invoiced, paid and rated orders
   * both on the world seller's item and on the peer seller's, so every peer list has rows of its own and
   * the world seller's lists hold a row of the peer buyer (which the peer seller must still not see).
   */
  const p = {} as { buyer: TestUser; seller: TestUser; admin: TestUser; itemId: number };
  const worldUser = (role: Role) => w[role === 'BUYER' ? 'buyer' : role === 'SELLER' ? 'seller' : 'admin'];
  const peerUser = (role: Role) => p[role === 'BUYER' ? 'buyer' : role === 'SELLER' ? 'seller' : 'admin'];

  beforeAll(async () => {
    t = await createTestApp();
    w.buyer = await createUser(t, 'BUYER');
    w.seller = await createUser(t, 'SELLER');
    w.admin = await createAdmin(t);
    w.itemId = (await createItem(t, w.seller, { quantity: 50, location: `Matrix ${Date.now()}` })).id;
    w.orderId = await orderIn('DELIVERED', w.itemId);
    w.invoiceId = await invoiceOf(w.orderId, true);
    const payment = await t.http
      .post('/api/v1/payments/')
      .set(w.buyer.auth)
      .send({ invoice: w.invoiceId, amount: '100.00', payment_method: 'M-Pesa' });
    expect(payment.status).toBe(201);
    w.paymentId = payment.body.id;
    const rating = await t.http.post('/api/v1/feedback/').set(w.buyer.auth).send({ order: w.orderId, rating: 5 });
    expect(rating.status).toBe(201);
    w.ratingId = rating.body.id;

    p.buyer = await createUser(t, 'BUYER');
    p.seller = await createUser(t, 'SELLER');
    p.admin = await createAdmin(t);
    p.itemId = (await createItem(t, p.seller, { quantity: 50, location: `Peer ${Date.now()}` })).id;
    for (const [itemId, seller] of [
      [w.itemId, w.seller],
      [p.itemId, p.seller],
    ] as const) {
      const orderId = await orderIn('DELIVERED', itemId, { buyer: p.buyer, seller });
      const invoiceId = await invoiceOf(orderId, true, seller);
      const paid = await t.http.post('/api/v1/payments/').set(p.buyer.auth).send({ invoice: invoiceId, amount: '100.00', payment_method: 'M-Pesa' });
      expect(paid.status).toBe(201);
      expect((await t.http.post('/api/v1/feedback/').set(p.buyer.auth).send({ order: orderId, rating: 3 })).status).toBe(201);
    }
  });
  afterAll(async () => {
    // One line for the README's Security section.
    console.log(
      `Role matrix: ${new Set(ROWS.map(routeOf)).size} routes (${ROWS.length} rows), ` +
        `${checked.role} of ${roleCells.length} role cells and ${checked.peer} of ${peerCells.length} peer cells checked`,
    );
    await t.close();
  });

  // ---- fresh state -------------------------------------------------------

  let serial = 0;
  const tag = (prefix: string) => `${prefix}${(++serial).toString(36)}${Date.now().toString(36)}`.toUpperCase();

  async function freshItem(): Promise<number> {
    return (await createItem(t, w.seller, { quantity: 10, unit_price: '2500.00', location: `Cell ${tag('L')}` })).id;
  }

  /** A new order of the world buyer on a new item of the world seller (or of `by`, on `itemId`), brought to `status`. */
  async function orderIn(
    status: 'PENDING' | 'APPROVED' | 'DELIVERED',
    itemId?: number,
    by: { buyer: TestUser; seller: TestUser } = { buyer: w.buyer, seller: w.seller },
  ): Promise<number> {
    const { id } = await placeOrder(t, by.buyer, itemId ?? (await freshItem()), 2);
    if (status !== 'PENDING') expect((await t.http.post(`/api/v1/orders/${id}/approve/`).set(w.admin.auth)).status).toBe(200);
    if (status === 'DELIVERED') expect((await t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(by.seller.auth)).status).toBe(200);
    return id;
  }

  async function invoiceOf(orderId: number, approved: boolean, seller: TestUser = w.seller): Promise<number> {
    const res = await t.http.post('/api/v1/seller/invoice/').set(seller.auth).send({ order: orderId });
    expect(res.status).toBe(201);
    if (approved) expect((await t.http.post(`/api/v1/invoices/${res.body.id}/approve/`).set(w.admin.auth)).status).toBe(200);
    return res.body.id;
  }

  /** What the admin (who sees everything) sees of an object. */
  async function adminView(path: string) {
    const res = await t.http.get(path).set(w.admin.auth);
    return { status: res.status, body: res.body };
  }

  async function orderState(orderId: number) {
    const order = await adminView(`/api/v1/orders/${orderId}/`);
    return { order: order.body, stock: await stockOf(t, w.admin, order.body.gas_inventory) };
  }

  /** Ids of the admin's newest rows of a list (anything a cell created is among the newest). */
  async function newest(path: string): Promise<Array<Record<string, any>>> {
    const res = await t.http.get(path).query({ page_size: 200 }).set(w.admin.auth);
    expect(res.status).toBe(200);
    return res.body;
  }

  const loginStatus = async (username: string) => (await t.http.post('/api/v1/login/').send({ username, password: PASSWORD })).status;

  const isList = (res: Response) => {
    expect(Array.isArray(res.body)).toBe(true);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(res.body.length);
  };

  /** Every row of a scoped list belongs to the caller (admins see all). */
  const scopedTo = (res: Response, user: TestUser | undefined, ownerOf: (row: any) => { buyer: number; seller: number }) => {
    isList(res);
    if (user?.role === 'BUYER') for (const row of res.body) expect(ownerOf(row).buyer).toBe(user.id);
    if (user?.role === 'SELLER') for (const row of res.body) expect(ownerOf(row).seller).toBe(user.id);
  };
  const orderOwner = (o: any) => ({ buyer: o.buyer, seller: o.seller });

  /** Who owns an object, as the admin sees it (cached: an order's buyer and seller never change). */
  const owners = new Map<string, Owner>();
  async function ownerOf(kind: 'orders' | 'invoices' | 'payments' | 'inventory', id: number): Promise<Owner> {
    const key = `${kind}/${id}`;
    if (!owners.has(key)) {
      const { status, body } = await adminView(`/api/v1/${key}/`);
      expect({ key, status }).toEqual({ key, status: 200 });
      const owner =
        kind === 'orders'
          ? { buyer: body.buyer, seller: body.seller }
          : kind === 'invoices'
            ? await ownerOf('orders', body.order)
            : kind === 'payments'
              ? await ownerOf('invoices', body.invoice)
              : { seller: body.seller };
      owners.set(key, owner);
    }
    return owners.get(key)!;
  }
  const ownerField = (user: TestUser) => (user.role === 'BUYER' ? 'buyer' : 'seller');

  /** Every page of a list as `user` sees it. */
  async function listAll(path: string, user: TestUser): Promise<Array<Record<string, any>>> {
    const rows: Array<Record<string, any>> = [];
    let total = Infinity;
    for (let page = 1; rows.length < total; page++) {
      const res = await t.http.get(path).query({ page, page_size: 200 }).set(user.auth);
      expect({ path, page, status: res.status }).toEqual({ path, page, status: 200 });
      total = Number(res.headers['x-total-count']);
      if (res.body.length === 0) break;
      rows.push(...res.body);
    }
    expect(rows.length).toBe(total);
    return rows;
  }
  const idsOf = (rows: Array<Record<string, any>>) => rows.map((row) => row.id as number).sort((a, b) => a - b);

  /**
   * Nested objects never show a buyer or seller anything but their own orders: every `order_details`
   * (also the one inside `invoice_details`) is the caller's, and is the order its parent names.
   */
  function expectNestedOwnedBy(body: unknown, user: TestUser): void {
    const field = ownerField(user);
    const walk = (value: unknown, at: string): void => {
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}[${i}]`));
      if (value === null || typeof value !== 'object') return;
      const obj = value as Record<string, any>;
      if ('invoice_details' in obj) {
        expect({ at, nested: obj.invoice_details?.id }).toEqual({ at, nested: obj.invoice });
        expect({ at, order_details: typeof obj.invoice_details.order_details }).toEqual({ at, order_details: 'object' });
      }
      if ('order_details' in obj) {
        expect({ at, nested: obj.order_details?.id }).toEqual({ at, nested: obj.order });
        expect({ at, [field]: obj.order_details[field] }).toEqual({ at, [field]: user.id });
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${at}.${k}`);
    };
    walk(body, 'body');
  }

  // ---- the table ---------------------------------------------------------

  const noState = async (): Promise<Fixture> => ({});

  const ROWS: Row[] = [
    // Auth and users
    {
      method: 'POST',
      path: '/api/v1/register',
      variant: 'a buyer',
      expected: { anonymous: 201, BUYER: 201, SELLER: 201, ADMIN: 201 },
      peer: { BUYER: 201, SELLER: 201, ADMIN: 201 }, // nothing is owned yet
      arrange: async () => {
        const username = tag('reg').toLowerCase();
        return {
          body: { username, email: `${username}@example.com`, password: PASSWORD, role: 'BUYER' },
          snapshot: () => loginStatus(username),
        };
      },
      ok: async (res, fx) => {
        const { username } = fx.body as { username: string };
        expect(res.body).toMatchObject({ user: { username }, message: 'User registered successfully' });
        expect(await loginStatus(username)).toBe(200);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/register',
      variant: 'an admin',
      // Public route, but only an authenticated admin may create an admin.
      expected: { anonymous: 403, BUYER: 403, SELLER: 403, ADMIN: 201 },
      peer: { ADMIN: 201 },
      arrange: async () => {
        const username = tag('adm').toLowerCase();
        return {
          body: { username, email: `${username}@example.com`, password: PASSWORD, role: 'ADMIN' },
          snapshot: () => loginStatus(username),
        };
      },
      ok: async (res, fx) => {
        const { username } = fx.body as { username: string };
        const login = await t.http.post('/api/v1/login/').send({ username, password: PASSWORD });
        const me = await t.http.get('/api/v1/profiles/me/').set({ Authorization: `Bearer ${login.body.access}` });
        expect(me.body).toMatchObject({ id: res.body.user.id, role: 'ADMIN' });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/login',
      expected: PUBLIC_200,
      peer: EVERY_PEER_200,
      arrange: async () => ({ body: { username: w.buyer.username, password: PASSWORD } }),
      ok: (res) => {
        expect(typeof res.body.access).toBe('string');
        expect(typeof res.body.refresh).toBe('string');
      },
    },
    {
      method: 'POST',
      path: '/api/v1/token/refresh',
      expected: PUBLIC_200,
      // The refresh token is the credential, whoever else is signed in.
      peer: EVERY_PEER_200,
      arrange: async () => {
        const login = await t.http.post('/api/v1/login/').send({ username: w.buyer.username, password: PASSWORD });
        return { body: { refresh: login.body.refresh } };
      },
      ok: (res, fx) => {
        expect(typeof res.body.access).toBe('string');
        expect(res.body.refresh).not.toBe((fx.body as { refresh: string }).refresh);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/logout',
      expected: { anonymous: 401, BUYER: 204, SELLER: 204, ADMIN: 204 },
      // Another user's refresh token is not the caller's: 204 as for any token the caller holds that is not its
      // own (RFC 7009), and the owner's login goes on.
      peer: { BUYER: 204, SELLER: 204, ADMIN: 204 },
      arrange: async (caller) => {
        // A fresh login of whoever acts (the world buyer for the anonymous cell): its refresh token is the body.
        const who = caller === 'anonymous' ? w.buyer : worldUser(caller);
        const login = await t.http.post('/api/v1/login/').send({ username: who.username, password: PASSWORD });
        const refresh = login.body.refresh as string;
        return {
          body: { refresh },
          as: { [who.role]: { ...who, auth: { Authorization: `Bearer ${login.body.access}` } } },
          stillIntact: async () => expect((await t.http.post('/api/v1/token/refresh/').send({ refresh })).status).toBe(200),
        };
      },
      ok: async (_res, fx, user) => {
        const after = await t.http.post('/api/v1/token/refresh/').send(fx.body!);
        if (fx.as?.[user!.role]?.id === user!.id) expectError(after, 401, 'not_authenticated');
        else expect(after.status).toBe(200);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/profiles/me',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      arrange: noState,
      ok: (res, _fx, user) => expect(res.body).toMatchObject({ id: user!.id, role: user!.role }),
    },
    {
      method: 'GET',
      path: '/api/v1/profiles',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: noState,
      ok: (res) => isList(res),
    },
    {
      method: 'GET',
      path: '/api/v1/profiles/{id}',
      // The buyer's profile: the buyer themself, the seller they ordered from, and admins may read it.
      expected: ANY_AUTHENTICATED,
      // Another buyer, and a seller the buyer never ordered from, may not.
      peer: HIDDEN_FROM_PEERS,
      arrange: async () => ({ id: w.buyer.id }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.buyer.id, user: { username: w.buyer.username }, role: 'BUYER' }),
    },
    {
      method: 'PATCH',
      path: '/api/v1/profiles/{id}',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => {
        const target = await createUser(t, 'BUYER');
        return {
          id: target.id,
          body: { role: 'SELLER' },
          as: { BUYER: target }, // a buyer changing their own role
          snapshot: async () => (await adminView(`/api/v1/profiles/${target.id}/`)).body.role,
        };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, role: 'SELLER' }),
    },

    // Brands
    {
      method: 'GET',
      path: '/api/v1/brands',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      arrange: noState,
      ok: (res) => expect(res.body.map((b: { code: string }) => b.code)).toEqual(expect.arrayContaining(['JIBU', 'MERU', 'TOTAL', 'OTHER'])),
    },
    {
      method: 'POST',
      path: '/api/v1/brands',
      expected: { anonymous: 401, BUYER: 403, SELLER: 403, ADMIN: 201 },
      peer: { ADMIN: 201 },
      arrange: async () => {
        const code = tag('BR');
        return {
          body: { code, name: `Brand ${code}` },
          snapshot: async () => (await adminView('/api/v1/brands/')).body.some((b: { code: string }) => b.code === code),
        };
      },
      ok: (res, fx) => expect(res.body).toEqual(fx.body),
    },

    // Inventory
    {
      method: 'GET',
      path: '/api/v1/gas',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200, // the catalogue shows every seller's items
      arrange: noState,
      ok: (res) => {
        isList(res);
        for (const item of res.body) expect(item.quantity).toBeGreaterThan(0);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/inventory/{id}',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200, // so does one item
      arrange: async () => ({ id: w.itemId }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.itemId, seller: w.seller.id }),
    },
    {
      method: 'POST',
      path: '/api/v1/inventory',
      expected: { anonymous: 401, BUYER: 403, SELLER: 201, ADMIN: 403 },
      peer: { SELLER: 201 },
      arrange: async () => {
        const location = `New ${tag('L')}`;
        return {
          body: { brand: 'MERU', weight_kg: 6, quantity: 4, unit_price: '1200.00', location },
          snapshot: async () => (await t.http.get('/api/v1/gas/').query({ location }).set(w.admin.auth)).body.length,
        };
      },
      ok: (res, _fx, user) => expect(res.body).toMatchObject({ seller: user!.id, quantity: 4, reserved_quantity: 0, unit_price: '1200.00' }),
    },
    ...(['PATCH', 'PUT'] as const).map(
      (method): Row => ({
        method,
        path: '/api/v1/inventory/{id}',
        expected: { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 403 },
        peer: { SELLER: 404 },
        arrange: async () => {
          const id = await freshItem();
          return {
            id,
            body:
              method === 'PUT'
                ? { brand: 'TOTAL', weight_kg: 12.5, quantity: 7, unit_price: '2600.00', location: 'Replaced' }
                : { unit_price: '2600.00', location: 'Edited' },
            snapshot: () => adminView(`/api/v1/inventory/${id}/`),
          };
        },
        ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, ...fx.body }),
      }),
    ),
    {
      method: 'DELETE',
      path: '/api/v1/inventory/{id}',
      expected: { anonymous: 401, BUYER: 403, SELLER: 204, ADMIN: 403 },
      peer: { SELLER: 404 },
      arrange: async () => {
        const id = await freshItem();
        return { id, snapshot: () => adminView(`/api/v1/inventory/${id}/`) };
      },
      ok: async (_res, fx) => {
        const mine = await t.http.get('/api/v1/seller/inventory/').query({ page_size: 200 }).set(w.seller.auth);
        expect(mine.body.map((i: { id: number }) => i.id)).not.toContain(fx.id);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/inventory/{id}/restock',
      expected: { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 403 },
      peer: { SELLER: 404 },
      arrange: async () => {
        const id = await freshItem();
        return { id, body: { quantity: 5 }, snapshot: () => adminView(`/api/v1/inventory/${id}/`) };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, quantity: 15 }),
    },
    {
      method: 'GET',
      path: '/api/v1/inventory/{id}/movements',
      expected: { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 200 },
      peer: { SELLER: 404, ADMIN: 200 },
      arrange: async () => ({ id: w.itemId }),
      ok: (res) => {
        isList(res);
        expect(res.body.length).toBeGreaterThan(0);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/seller/inventory',
      expected: { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 403 },
      peer: { SELLER: 200 },
      rowOwner: (item) => ownerOf('inventory', item.id),
      arrange: noState,
      ok: (res, _fx, user) => {
        isList(res);
        expect(res.body.length).toBeGreaterThan(0);
        for (const item of res.body) expect(item.seller).toBe(user!.id);
      },
    },

    // Orders
    {
      method: 'GET',
      path: '/api/v1/orders',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      rowOwner: (order) => ownerOf('orders', order.id),
      arrange: noState,
      ok: (res, _fx, user) => scopedTo(res, user, orderOwner),
    },
    {
      method: 'POST',
      path: '/api/v1/orders',
      expected: { anonymous: 401, BUYER: 201, SELLER: 403, ADMIN: 403 },
      peer: { BUYER: 201 }, // the item is on sale to every buyer
      arrange: async () => {
        const itemId = await freshItem();
        return {
          body: { gas_inventory: itemId, quantity: 3, delivery_address: 'Kenyatta Ave 3', contact_phone: '+254700000003' },
          snapshot: () => stockOf(t, w.admin, itemId),
        };
      },
      ok: async (res, fx, user) => {
        const itemId = (fx.body as { gas_inventory: number }).gas_inventory;
        expect(res.body).toMatchObject({ gas_inventory: itemId, buyer: user!.id, seller: w.seller.id, quantity: 3, status: 'PENDING' });
        expect(await stockOf(t, w.admin, itemId)).toEqual({ quantity: 7, reserved: 3 });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orders/my_orders',
      expected: { anonymous: 401, BUYER: 200, SELLER: 403, ADMIN: 403 },
      peer: { BUYER: 200 },
      rowOwner: (order) => ownerOf('orders', order.id),
      arrange: noState,
      ok: (res, _fx, user) => {
        scopedTo(res, user, orderOwner);
        expect(res.body.length).toBeGreaterThan(0);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/seller/orders',
      expected: { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 403 },
      peer: { SELLER: 200 },
      rowOwner: (order) => ownerOf('orders', order.id),
      arrange: noState,
      ok: (res, _fx, user) => {
        scopedTo(res, user, orderOwner);
        expect(res.body.length).toBeGreaterThan(0);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/admin/orders/pending',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => ({ id: await orderIn('PENDING') }),
      ok: (res, fx) => {
        isList(res);
        for (const order of res.body) expect(order.status).toBe('PENDING');
        expect(res.body.map((o: { id: number }) => o.id)).toContain(fx.id);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/orders/{id}',
      expected: ANY_AUTHENTICATED,
      peer: HIDDEN_FROM_PEERS,
      arrange: async () => ({ id: w.orderId }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.orderId, buyer: w.buyer.id, seller: w.seller.id }),
    },
    {
      method: 'PATCH',
      path: '/api/v1/orders/{id}',
      expected: { anonymous: 401, BUYER: 200, SELLER: 403, ADMIN: 403 },
      peer: { BUYER: 404 },
      arrange: async () => {
        const id = await orderIn('PENDING');
        return { id, body: { delivery_address: 'Changed Street 5' }, snapshot: () => orderState(id) };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, status: 'PENDING', delivery_address: 'Changed Street 5' }),
    },
    {
      method: 'DELETE',
      path: '/api/v1/orders/{id}',
      expected: { anonymous: 401, BUYER: 204, SELLER: 403, ADMIN: 403 },
      peer: { BUYER: 404 },
      arrange: async () => {
        const id = await orderIn('PENDING');
        return { id, snapshot: () => orderState(id) };
      },
      ok: async (_res, fx) => {
        const { order, stock } = await orderState(fx.id!);
        expect(order.status).toBe('CANCELLED');
        expect(stock).toEqual({ quantity: 10, reserved: 0 });
      },
    },
    ...(
      [
        // action, from, expected, peer, to
        ['approve', 'PENDING', { anonymous: 401, BUYER: 403, SELLER: 403, ADMIN: 200 }, { ADMIN: 200 }, 'APPROVED'],
        ['reject', 'PENDING', { anonymous: 401, BUYER: 403, SELLER: 403, ADMIN: 200 }, { ADMIN: 200 }, 'REJECTED'],
        ['cancel', 'PENDING', { anonymous: 401, BUYER: 200, SELLER: 403, ADMIN: 403 }, { BUYER: 404 }, 'CANCELLED'],
        ['mark-delivered', 'APPROVED', { anonymous: 401, BUYER: 403, SELLER: 200, ADMIN: 200 }, { SELLER: 404, ADMIN: 200 }, 'DELIVERED'],
      ] as const
    ).map(
      ([action, from, expected, peer, to]): Row => ({
        method: 'POST',
        path: `/api/v1/orders/{id}/${action}`,
        expected,
        peer,
        arrange: async () => {
          const id = await orderIn(from);
          return { id, body: action === 'reject' ? { reason: 'No driver' } : undefined, snapshot: () => orderState(id) };
        },
        ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, status: to }),
      }),
    ),

    // Invoices
    {
      method: 'POST',
      path: '/api/v1/seller/invoice',
      expected: { anonymous: 401, BUYER: 403, SELLER: 201, ADMIN: 403 },
      peer: { SELLER: 404 },
      arrange: async () => {
        const orderId = await orderIn('APPROVED');
        return {
          body: { order: orderId },
          snapshot: async () => (await newest('/api/v1/invoices/')).filter((i) => i.order === orderId).length,
        };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ order: (fx.body as { order: number }).order, amount: '5000.00', admin_approval: false }),
    },
    {
      method: 'GET',
      path: '/api/v1/invoices',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      rowOwner: (invoice) => ownerOf('invoices', invoice.id),
      arrange: noState,
      ok: (res, _fx, user) => scopedTo(res, user, (i) => orderOwner(i.order_details)),
    },
    {
      method: 'GET',
      path: '/api/v1/invoices/{id}',
      expected: ANY_AUTHENTICATED,
      peer: HIDDEN_FROM_PEERS,
      arrange: async () => ({ id: w.invoiceId }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.invoiceId, order: w.orderId }),
    },
    {
      method: 'GET',
      path: '/api/v1/admin/invoices/pending',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => ({ id: await invoiceOf(await orderIn('APPROVED'), false) }),
      ok: (res, fx) => {
        isList(res);
        for (const invoice of res.body) expect(invoice.admin_approval).toBe(false);
        expect(res.body.map((i: { id: number }) => i.id)).toContain(fx.id);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/invoices/{id}/approve',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => {
        const id = await invoiceOf(await orderIn('DELIVERED'), false);
        return { id, snapshot: () => adminView(`/api/v1/invoices/${id}/`) };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, admin_approval: true }),
    },
    {
      method: 'POST',
      path: '/api/v1/invoices/{id}/mark-as-paid',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => {
        const id = await invoiceOf(await orderIn('DELIVERED'), true);
        return {
          id,
          body: {},
          snapshot: async () => ({
            invoice: await adminView(`/api/v1/invoices/${id}/`),
            payments: (await newest('/api/v1/payments/')).filter((p) => p.invoice === id).length,
          }),
        };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ id: fx.id, is_paid: true }),
    },

    // Payments
    {
      method: 'POST',
      path: '/api/v1/payments',
      expected: { anonymous: 401, BUYER: 201, SELLER: 403, ADMIN: 201 },
      peer: { BUYER: 404, ADMIN: 201 },
      arrange: async () => {
        const invoiceId = await invoiceOf(await orderIn('DELIVERED'), true);
        return {
          body: { invoice: invoiceId, amount: '1000.00', payment_method: 'M-Pesa', transaction_id: tag('TX') },
          snapshot: async () => (await newest('/api/v1/payments/')).filter((p) => p.invoice === invoiceId).length,
        };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ invoice: (fx.body as { invoice: number }).invoice, amount: '1000.00', status: 'PENDING' }),
    },
    {
      method: 'GET',
      path: '/api/v1/payments',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      rowOwner: (payment) => ownerOf('payments', payment.id),
      arrange: noState,
      ok: (res, _fx, user) => scopedTo(res, user, (p) => orderOwner(p.invoice_details.order_details)),
    },
    {
      method: 'GET',
      path: '/api/v1/payments/{id}',
      expected: ANY_AUTHENTICATED,
      peer: HIDDEN_FROM_PEERS,
      arrange: async () => ({ id: w.paymentId }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.paymentId, invoice: w.invoiceId }),
    },
    {
      method: 'PATCH',
      path: '/api/v1/payments/{id}',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: async () => {
        const invoiceId = await invoiceOf(await orderIn('DELIVERED'), true);
        const payment = await t.http
          .post('/api/v1/payments/')
          .set(w.buyer.auth)
          .send({ invoice: invoiceId, amount: '5000.00', payment_method: 'M-Pesa' });
        expect(payment.status).toBe(201);
        const id = payment.body.id as number;
        return {
          id,
          body: { status: 'COMPLETED', transaction_id: tag('TX') },
          snapshot: () => adminView(`/api/v1/payments/${id}/`),
        };
      },
      ok: (res, fx) => {
        expect(res.body).toMatchObject({ id: fx.id, ...fx.body });
        expect(res.body.invoice_details.is_paid).toBe(true);
      },
    },

    // Ratings
    {
      method: 'POST',
      path: '/api/v1/feedback',
      expected: { anonymous: 401, BUYER: 201, SELLER: 403, ADMIN: 403 },
      peer: { BUYER: 404 },
      arrange: async () => {
        const orderId = await orderIn('DELIVERED');
        return {
          body: { order: orderId, rating: 4, comment: 'Fine.' },
          snapshot: async () => (await newest('/api/v1/ratings/')).filter((r) => r.order === orderId).length,
        };
      },
      ok: (res, fx) => expect(res.body).toMatchObject({ ...fx.body }),
    },
    {
      method: 'GET',
      path: '/api/v1/ratings',
      expected: ANY_AUTHENTICATED,
      peer: EVERY_PEER_200,
      rowOwner: (rating) => ownerOf('orders', rating.order),
      arrange: noState,
      ok: (res) => {
        isList(res);
        expect(res.body.length).toBeGreaterThan(0);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/ratings/{id}',
      expected: ANY_AUTHENTICATED,
      peer: HIDDEN_FROM_PEERS,
      arrange: async () => ({ id: w.ratingId }),
      ok: (res) => expect(res.body).toMatchObject({ id: w.ratingId, order: w.orderId, rating: 5 }),
    },

    // Operations
    {
      method: 'GET',
      path: '/api/v1/admin/audit',
      expected: ADMIN_ONLY,
      peer: ADMIN_PEER_200,
      arrange: noState,
      ok: (res) => {
        isList(res);
        expect(res.body.length).toBeGreaterThan(0);
      },
    },
    ...(['live', 'ready'] as const).map(
      (probe): Row => ({
        method: 'GET',
        path: `/health/${probe}`,
        expected: PUBLIC_200,
        peer: EVERY_PEER_200,
        arrange: noState,
        ok: (res) => expect(res.body.status).toBe('ok'),
      }),
    ),
  ];

  const routeOf = (row: Row) => `${row.method} ${row.path}`;
  const rowName = (row: Row) => `${routeOf(row)}${row.variant ? ` (${row.variant})` : ''}`;
  const allowed = (row: Row) => ROLES.filter((role) => row.expected[role] >= 200 && row.expected[role] < 300);
  const roleCells = ROWS.flatMap((row) => CALLERS.map((caller) => [rowName(row), caller, row.expected[caller], row] as const));
  // Only the declared entries; the coverage test below fails on a missing one.
  const peerCells = ROWS.flatMap((row) =>
    ROLES.filter((role) => row.peer[role] !== undefined).map((role) => [rowName(row), role, row.peer[role]!, row] as const),
  );
  const checked = { role: 0, peer: 0 };

  /** Sends the row's request for the fixture as `user` (anonymous when undefined). */
  async function send(row: Row, fx: Fixture, user: TestUser | undefined): Promise<Response> {
    const url = row.path.replace('{id}', String(fx.id));
    expect(url).not.toContain('{');
    let req = t.http[row.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](url);
    if (user) req = req.set(user.auth);
    return fx.body === undefined ? await req : await req.send(fx.body);
  }

  function expectStatus(res: Response, expected: number): void {
    if (ERROR_CODES[expected]) expectError(res, expected, ERROR_CODES[expected]);
    else expect({ status: res.status, body: res.body }).toEqual({ status: expected, body: expect.anything() });
  }

  it.each(roleCells)('%s as %s → %d', async (_name, caller, expected, row) => {
    const fx = await row.arrange(caller);
    const user = caller === 'anonymous' ? undefined : (fx.as?.[caller] ?? worldUser(caller));
    const before = fx.snapshot ? await fx.snapshot() : undefined;

    const res = await send(row, fx, user);
    expectStatus(res, expected);

    if (expected >= 400) {
      if (fx.snapshot) expect(await fx.snapshot()).toEqual(before);
      await fx.stillIntact?.();
    } else {
      await row.ok?.(res, fx, user);
      if (user && user.role !== 'ADMIN') expectNestedOwnedBy(res.body, user);
    }
    checked.role++;
  });

  it.each(peerCells)('%s as another %s → %d', async (_name, role, expected, row) => {
    const fx = await row.arrange(role);
    const owner = fx.as?.[role] ?? worldUser(role);
    const peer = peerUser(role);
    expect(peer.role).toBe(role);
    expect(peer.id).not.toBe(owner.id);
    const before = fx.snapshot ? await fx.snapshot() : undefined;

    const res = await send(row, fx, peer);
    expectStatus(res, expected);

    if (expected >= 400) {
      if (fx.snapshot) expect(await fx.snapshot()).toEqual(before);
      await fx.stillIntact?.();
      checked.peer++;
      return;
    }
    await row.ok?.(res, fx, peer);
    if (role !== 'ADMIN') expectNestedOwnedBy(res.body, peer);

    if (row.rowOwner) {
      const path = row.path;
      const peerRows = await listAll(path, peer);
      const ownerRows = await listAll(path, owner);
      if (role === 'ADMIN') {
        // Another admin sees everything: what the first admin sees, which holds every buyer's and seller's rows.
        expect(idsOf(peerRows)).toEqual(idsOf(ownerRows));
        const all = new Set(peerRows.map((row) => row.id));
        for (const user of [w.buyer, w.seller, p.buyer, p.seller].filter((u) => allowed(row).includes(u.role))) {
          expect((await listAll(path, user)).map((row) => row.id).filter((id) => !all.has(id))).toEqual([]);
        }
      } else {
        expect(ownerRows.length).toBeGreaterThan(0);
        expect(peerRows.length).toBeGreaterThan(0);
        const ownerIds = new Set(ownerRows.map((row) => row.id));
        // None of the owner's rows, on any page of the peer's list ...
        expect(peerRows.map((row) => row.id).filter((id) => ownerIds.has(id))).toEqual([]);
        // ... every row the peer's own, and so is everything nested in it.
        const field = ownerField(peer);
        for (const listed of peerRows) {
          expect({ id: listed.id, [field]: (await row.rowOwner(listed))[field] }).toEqual({ id: listed.id, [field]: peer.id });
        }
        expectNestedOwnedBy(peerRows, peer);
      }
    }
    checked.peer++;
  });

  it('has a row for every route of the OpenAPI document, and no row for a route it lacks', async () => {
    const doc = await t.http.get('/api/docs-json');
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(40);
    const tabled = new Set(ROWS.map(routeOf));
    expect(documented.filter((route) => !tabled.has(route))).toEqual([]);
    expect([...tabled].filter((route) => !documented.includes(route))).toEqual([]);

    // Every row states the peer outcome for each role the route allows, and only for those.
    const undeclared = ROWS.flatMap((row) => allowed(row).filter((role) => row.peer?.[role] === undefined).map((role) => `${rowName(row)}: ${role}`));
    expect(undeclared).toEqual([]);
    const spurious = ROWS.flatMap((row) =>
      Object.keys(row.peer ?? {})
        .filter((role) => !allowed(row).includes(role as Role))
        .map((role) => `${rowName(row)}: ${role}`),
    );
    expect(spurious).toEqual([]);
    // A list scoped to its caller is a 200 for every peer.
    const scoped = ROWS.filter((row) => row.rowOwner).flatMap((row) =>
      allowed(row).filter((role) => row.peer[role] !== 200).map((role) => `${rowName(row)}: ${role}`),
    );
    expect(scoped).toEqual([]);
  });
});
