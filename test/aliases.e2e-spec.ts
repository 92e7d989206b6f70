import type { Response } from 'supertest';
import { createAdmin, createItem, createUser, PASSWORD, placeOrder, stockInvariantViolations, TestUser, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * The seed-compatible paths: every `/api/...` form of a route, and the named
 * aliases, answer exactly like the canonical `/api/v1/...` route, with or
 * without a trailing slash, with their query strings intact.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Who = 'anon' | 'buyer' | 'seller' | 'admin';
type IdName = 'item' | 'order' | 'invoice' | 'payment' | 'rating' | 'buyer' | 'none';

interface RouteSpec {
  method: Method;
  /** Canonical path, with `{item}`-style placeholders. */
  canonical: string;
  who: Who;
  /** Extra seed-compatible paths besides `/api` + the canonical path without `v1`. */
  aliases?: string[];
}

const NO_SUCH_ID = 2_147_483_647;

/** Every route the contract lists, with a caller allowed to use it. */
const ROUTES: RouteSpec[] = [
  { method: 'post', canonical: '/api/v1/register/', who: 'anon' },
  { method: 'post', canonical: '/api/v1/login/', who: 'anon', aliases: ['/api/token/'] },
  { method: 'post', canonical: '/api/v1/token/refresh/', who: 'anon' },
  { method: 'post', canonical: '/api/v1/logout/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/profiles/me/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/profiles/', who: 'admin' },
  { method: 'get', canonical: '/api/v1/profiles/{buyer}/', who: 'admin' },
  { method: 'patch', canonical: '/api/v1/profiles/{none}/', who: 'admin' },
  { method: 'get', canonical: '/api/v1/brands/', who: 'buyer' },
  { method: 'post', canonical: '/api/v1/brands/', who: 'admin' },
  { method: 'get', canonical: '/api/v1/gas/', who: 'buyer', aliases: ['/api/inventory/'] },
  { method: 'get', canonical: '/api/v1/seller/inventory/', who: 'seller', aliases: ['/api/inventory/my_inventory/'] },
  { method: 'post', canonical: '/api/v1/inventory/', who: 'seller', aliases: ['/api/v1/seller/inventory/', '/api/seller/inventory/'] },
  { method: 'get', canonical: '/api/v1/inventory/{item}/', who: 'buyer' },
  { method: 'patch', canonical: '/api/v1/inventory/{none}/', who: 'seller' },
  { method: 'put', canonical: '/api/v1/inventory/{none}/', who: 'seller' },
  { method: 'delete', canonical: '/api/v1/inventory/{none}/', who: 'seller' },
  { method: 'post', canonical: '/api/v1/inventory/{none}/restock/', who: 'seller' },
  { method: 'get', canonical: '/api/v1/inventory/{item}/movements/', who: 'seller' },
  { method: 'get', canonical: '/api/v1/orders/', who: 'buyer' },
  { method: 'post', canonical: '/api/v1/orders/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/orders/my_orders/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/seller/orders/', who: 'seller', aliases: ['/api/orders/seller_orders/'] },
  { method: 'get', canonical: '/api/v1/admin/orders/pending/', who: 'admin' },
  { method: 'get', canonical: '/api/v1/orders/{order}/', who: 'buyer' },
  { method: 'patch', canonical: '/api/v1/orders/{none}/', who: 'buyer' },
  { method: 'delete', canonical: '/api/v1/orders/{none}/', who: 'buyer' },
  { method: 'post', canonical: '/api/v1/orders/{none}/approve/', who: 'admin' },
  { method: 'post', canonical: '/api/v1/orders/{none}/reject/', who: 'admin' },
  { method: 'post', canonical: '/api/v1/orders/{none}/cancel/', who: 'buyer' },
  { method: 'post', canonical: '/api/v1/orders/{none}/mark-delivered/', who: 'seller' },
  { method: 'post', canonical: '/api/v1/seller/invoice/', who: 'seller', aliases: ['/api/invoices/'] },
  { method: 'get', canonical: '/api/v1/invoices/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/admin/invoices/pending/', who: 'admin' },
  { method: 'get', canonical: '/api/v1/invoices/{invoice}/', who: 'buyer' },
  { method: 'post', canonical: '/api/v1/invoices/{none}/approve/', who: 'admin' },
  { method: 'post', canonical: '/api/v1/invoices/{none}/mark-as-paid/', who: 'admin' },
  { method: 'post', canonical: '/api/v1/payments/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/payments/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/payments/{payment}/', who: 'buyer' },
  { method: 'patch', canonical: '/api/v1/payments/{none}/', who: 'admin' },
  { method: 'post', canonical: '/api/v1/feedback/', who: 'buyer', aliases: ['/api/ratings/'] },
  { method: 'get', canonical: '/api/v1/ratings/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/ratings/{rating}/', who: 'buyer' },
  { method: 'get', canonical: '/api/v1/admin/audit/', who: 'admin' },
];

/** `/api/v1/x/` -> `/api/x/`, the form the original service answered at. */
const unversioned = (path: string) => path.replace(/^\/api\/v1\//, '/api/');
const noSlash = (path: string) => path.replace(/\/$/, '');

/** One case per seed-compatible path: the `/api/` form of every route, and each named alias. */
const PATH_CASES = ROUTES.flatMap((r) =>
  [unversioned(r.canonical), ...(r.aliases ?? [])].map((seed) => [`${r.method.toUpperCase()} ${seed} ≡ ${r.method.toUpperCase()} ${r.canonical}`, r, seed] as const),
);

/** Keys whose values legitimately differ between two twin calls that each create or change a record. */
const VOLATILE = new Set([
  'id',
  'order',
  'invoice',
  'gas_inventory',
  'created_at',
  'updated_at',
  'date_added',
  'last_updated',
  'invoice_number',
  'payment_date',
  'admin_approval_date',
  'access',
  'refresh',
]);

/** Replaces volatile values (but keeps null as null) and the given per-call strings. */
function normalise(value: unknown, strings: Record<string, string> = {}): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, strings));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) && v !== null && typeof v !== 'object' ? `<${k}>` : normalise(v, strings)]),
    );
  }
  if (typeof value === 'string' && strings[value] !== undefined) return strings[value];
  return value;
}

/** A Link header reduced to rel -> query parameters (the path differs between an alias and its canonical form). */
function links(header: string | undefined): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const part of (header ?? '').split(',').filter((p) => p.trim())) {
    const m = /<([^>]+)>\s*;\s*rel="(\w+)"/.exec(part.trim());
    if (!m) throw new Error(`Malformed Link part: ${part}`);
    out[m[2]] = Object.fromEntries([...new URL(m[1]).searchParams.entries()].sort());
  }
  return out;
}
function linkUrl(header: string | undefined, rel: string): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="(\w+)"/.exec(part.trim());
    if (m && m[2] === rel) {
      const url = new URL(m[1]);
      return url.pathname + url.search;
    }
  }
  return undefined;
}

/** What a client sees of an answer: status, body, and the headers that carry data. */
function seen(res: Response) {
  return {
    status: res.status,
    body: res.body,
    contentType: res.headers['content-type'] ?? null,
    totalCount: res.headers['x-total-count'] ?? null,
    links: links(res.headers['link']),
    etag: res.headers['etag'] ?? null,
  };
}

describe('seed-compatible paths and aliases', () => {
  let t: TestApp;
  let buyer: TestUser;
  let seller: TestUser;
  let admin: TestUser;
  const ids = {} as Record<IdName, number>;

  const auth = (who: Who | TestUser) => (who === 'anon' ? {} : typeof who === 'string' ? { buyer, seller, admin }[who].auth : who.auth);
  const resolve = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: IdName) => String(ids[name]));

  function send(method: Method, path: string, who: Who | TestUser, body?: unknown): Promise<Response> {
    const req = t.http[method](path).set(auth(who));
    return body === undefined ? req : req.send(body as object);
  }

  /** Sends the same request to each path and expects identical answers; returns the first. */
  async function expectSameAnswers(method: Method, paths: string[], who: Who | TestUser, body?: unknown): Promise<Response> {
    const answers: Response[] = [];
    for (const path of paths) answers.push(await send(method, path, who, body));
    const first = seen(answers[0]);
    answers.forEach((res, i) => expect({ path: paths[i], ...seen(res) }).toEqual({ path: paths[i], ...first }));
    return answers[0];
  }

  /** Two calls that each create or change their own twin record: same status, same body up to volatile fields. */
  function expectTwins(canonical: Response, alias: Response, strings: Record<string, string> = {}) {
    expect({ status: alias.status, body: normalise(alias.body, strings) }).toEqual({
      status: canonical.status,
      body: normalise(canonical.body, strings),
    });
  }

  const approve = async (orderId: number) => expect((await send('post', `/api/v1/orders/${orderId}/approve/`, 'admin')).status).toBe(200);
  const deliver = async (orderId: number) => expect((await send('post', `/api/v1/orders/${orderId}/mark-delivered/`, 'seller')).status).toBe(200);
  const invoiceFor = async (orderId: number) => {
    const res = await send('post', '/api/v1/seller/invoice/', 'seller', { order: orderId });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  async function orders(n: number, state: 'PENDING' | 'APPROVED' | 'DELIVERED'): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const { id } = await placeOrder(t, buyer, ids.item, 1);
      if (state !== 'PENDING') await approve(id);
      if (state === 'DELIVERED') await deliver(id);
      out.push(id);
    }
    return out;
  }

  beforeAll(async () => {
    t = await createTestApp();
    [buyer, seller, admin] = await Promise.all([createUser(t, 'BUYER'), createUser(t, 'SELLER'), createAdmin(t)]);
    const item = await createItem(t, seller, { quantity: 500, unit_price: '1500.50', location: 'Alias Avenue' });
    ids.item = item.id;
    ids.buyer = buyer.id;
    ids.none = NO_SUCH_ID;
    // One of everything, so the GET routes have something to show.
    const [delivered] = await orders(1, 'DELIVERED');
    await orders(1, 'APPROVED');
    await orders(1, 'PENDING');
    ids.order = delivered;
    ids.invoice = await invoiceFor(delivered);
    const payment = await send('post', '/api/v1/payments/', 'buyer', { invoice: ids.invoice, amount: '100.00', payment_method: 'M-Pesa' });
    expect(payment.status).toBe(201);
    ids.payment = payment.body.id;
    const rating = await send('post', '/api/v1/feedback/', 'buyer', { order: delivered, rating: 4, comment: 'Quick.' });
    expect(rating.status).toBe(201);
    ids.rating = rating.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('every path answers like its /api/v1/ form, with and without the trailing slash', () => {
    // GET routes answer with real data; the others get a request that is refused
    // before anything changes (an unknown body field, or an id that does not
    // exist), so that every form can be compared on the same state.
    it.each(PATH_CASES)('%s', async (_title, route, seed) => {
      const canonical = resolve(route.canonical);
      const alias = resolve(seed);
      const body = route.method === 'get' ? undefined : { __probe__: 1 };
      const first = await expectSameAnswers(route.method, [canonical, noSlash(canonical), alias, noSlash(alias)], route.who, body);
      // The route was reached (not Nest's "Cannot POST ..." miss), and answered what it should.
      expect(first.body?.detail ?? '').not.toMatch(/^Cannot /);
      if (route.method === 'get') {
        expect(first.status).toBe(200);
        if (Array.isArray(first.body)) expect(first.body.length).toBeGreaterThan(0);
      } else if (route.canonical.includes('{none}') && !['patch', 'put', 'post', 'delete'].includes(route.method)) {
        expect(first.status).toBe(404);
      } else {
        expect([400, 404]).toContain(first.status);
        if (first.status === 400) expect(first.body.errors).toHaveProperty('__probe__');
      }
    });
  });

  describe('auth paths', () => {
    it('POST /api/register/ registers like /api/v1/register/', async () => {
      const body = (username: string) => ({ username, email: `${username}@example.com`, password: 'alias-secret-1', role: 'BUYER', first_name: 'Ann', address: 'Here' });
      const a = unique('regv1');
      const b = unique('regseed');
      const canonical = await send('post', '/api/v1/register/', 'anon', body(a));
      const alias = await send('post', '/api/register/', 'anon', body(b));
      expect(canonical.status).toBe(201);
      expectTwins(canonical, alias, { [a]: '<username>', [b]: '<username>', [`${a}@example.com`]: '<email>', [`${b}@example.com`]: '<email>' });
      expect(alias.body.user.username).toBe(b);
      // The same duplicate is refused identically on both paths.
      await expectSameAnswers('post', ['/api/v1/register/', '/api/register/', '/api/register'], 'anon', body(b));
    });

    it('POST /api/login/ and /api/token/ log in like /api/v1/login/, with working tokens', async () => {
      const me = await send('get', '/api/v1/profiles/me/', 'buyer');
      for (const path of ['/api/v1/login/', '/api/login/', '/api/token/', '/api/token']) {
        const res = await send('post', path, 'anon', { username: buyer.username, password: PASSWORD });
        expect({ path, status: res.status, keys: Object.keys(res.body).sort() }).toEqual({ path, status: 200, keys: ['access', 'refresh'] });
        const mine = await t.http.get('/api/profiles/me/').set({ Authorization: `Bearer ${res.body.access}` });
        expect(mine.body).toEqual(me.body);
      }
      await expectSameAnswers('post', ['/api/v1/login/', '/api/login/', '/api/token/', '/api/token'], 'anon', { username: buyer.username, password: 'wrong-password' });
    });

    it('POST /api/token/refresh/ rotates like /api/v1/token/refresh/', async () => {
      const login = async () => (await send('post', '/api/v1/login/', 'anon', { username: buyer.username, password: PASSWORD })).body.refresh as string;
      const [r1, r2] = [await login(), await login()];
      const canonical = await send('post', '/api/v1/token/refresh/', 'anon', { refresh: r1 });
      const alias = await send('post', '/api/token/refresh/', 'anon', { refresh: r2 });
      expect(canonical.status).toBe(200);
      expectTwins(canonical, alias);
      expect(alias.body.refresh).not.toBe(r2);
      // The rotated-out tokens are refused alike on both paths.
      await expectSameAnswers('post', ['/api/v1/token/refresh/', '/api/token/refresh/', '/api/token/refresh'], 'anon', { refresh: r2 });
      await expectSameAnswers('post', ['/api/v1/token/refresh/', '/api/token/refresh/'], 'anon', { refresh: r1 });
    });

    it('POST /api/logout/ revokes like /api/v1/logout/', async () => {
      const login = async () => (await send('post', '/api/v1/login/', 'anon', { username: buyer.username, password: PASSWORD })).body as { access: string; refresh: string };
      const [s1, s2] = [await login(), await login()];
      const canonical = await t.http.post('/api/v1/logout/').set({ Authorization: `Bearer ${s1.access}` }).send({ refresh: s1.refresh });
      const alias = await t.http.post('/api/logout/').set({ Authorization: `Bearer ${s2.access}` }).send({ refresh: s2.refresh });
      expect({ status: alias.status, body: alias.body }).toEqual({ status: canonical.status, body: canonical.body });
      expect(canonical.status).toBe(204);
      for (const refresh of [s1.refresh, s2.refresh]) expect((await send('post', '/api/v1/token/refresh/', 'anon', { refresh })).status).toBe(401);
    });

    it('PATCH /api/profiles/{id}/ changes a user like /api/v1/profiles/{id}/', async () => {
      const [u1, u2] = [await createUser(t, 'BUYER'), await createUser(t, 'BUYER')];
      const canonical = await send('patch', `/api/v1/profiles/${u1.id}/`, 'admin', { role: 'SELLER' });
      const alias = await send('patch', `/api/profiles/${u2.id}/`, 'admin', { role: 'SELLER' });
      expect(canonical.status).toBe(200);
      expect(canonical.body.role).toBe('SELLER');
      expectTwins(canonical, alias, { [u1.username]: '<username>', [u2.username]: '<username>', [u1.email]: '<email>', [u2.email]: '<email>' });
    });
  });

  describe('catalogue and inventory paths', () => {
    it('POST /api/brands/ adds a brand like /api/v1/brands/', async () => {
      const [c1, c2] = [`AL${process.pid % 1000}A`, `AL${process.pid % 1000}B`];
      const canonical = await send('post', '/api/v1/brands/', 'admin', { code: c1.toLowerCase(), name: 'Alias Gas' });
      const alias = await send('post', '/api/brands/', 'admin', { code: c2.toLowerCase(), name: 'Alias Gas' });
      expect(canonical.status).toBe(201);
      expectTwins(canonical, alias, { [c1]: '<code>', [c2]: '<code>' });
      await expectSameAnswers('post', ['/api/v1/brands/', '/api/brands/', '/api/brands'], 'admin', { code: c2, name: 'Again' });
    });

    it.each(['/api/inventory/', '/api/v1/seller/inventory/', '/api/seller/inventory/'])('POST %s adds stock like POST /api/v1/inventory/', async (path) => {
      const body = { brand: 'total', weight_kg: 6, quantity: 7, unit_price: 999.5, location: 'Twin Street' };
      const canonical = await send('post', '/api/v1/inventory/', 'seller', body);
      const alias = await send('post', path, 'seller', body);
      expect(canonical.status).toBe(201);
      expectTwins(canonical, alias);
      expect(alias.headers['etag']).toBeDefined();
      // The alias really created an item of its own, listed in the seller's stock.
      const mine = await send('get', '/api/v1/seller/inventory/?page_size=200', 'seller');
      expect(mine.body.map((i: { id: number }) => i.id)).toEqual(expect.arrayContaining([canonical.body.id, alias.body.id]));
    });

    it.each([
      ['patch', { unit_price: '1750.25', location: 'Moved Street' }],
      ['put', { quantity: 3, brand: 'meru' }],
    ] as const)('%s /api/inventory/{id}/ edits like /api/v1/inventory/{id}/', async (method, body) => {
      const [a, b] = [await createItem(t, seller, { location: 'Twin Items' }), await createItem(t, seller, { location: 'Twin Items' })];
      const canonical = await send(method, `/api/v1/inventory/${a.id}/`, 'seller', body);
      const alias = await send(method, `/api/inventory/${b.id}/`, 'seller', body);
      expect(canonical.status).toBe(200);
      expectTwins(canonical, alias);
    });

    it('POST /api/inventory/{id}/restock/ restocks like /api/v1/inventory/{id}/restock/', async () => {
      const [a, b] = [await createItem(t, seller, { quantity: 2 }), await createItem(t, seller, { quantity: 2 })];
      const canonical = await send('post', `/api/v1/inventory/${a.id}/restock/`, 'seller', { quantity: 5, note: 'Depot' });
      const alias = await send('post', `/api/inventory/${b.id}/restock/`, 'seller', { quantity: 5, note: 'Depot' });
      expect(canonical.status).toBe(200);
      expect(canonical.body.quantity).toBe(7);
      expectTwins(canonical, alias);
      const [ma, mb] = [await send('get', `/api/v1/inventory/${a.id}/movements/`, 'seller'), await send('get', `/api/inventory/${b.id}/movements/`, 'seller')];
      expectTwins(ma, mb);
    });

    it('DELETE /api/inventory/{id}/ deletes like /api/v1/inventory/{id}/', async () => {
      const [a, b] = [await createItem(t, seller), await createItem(t, seller)];
      const canonical = await send('delete', `/api/v1/inventory/${a.id}/`, 'seller');
      const alias = await send('delete', `/api/inventory/${b.id}/`, 'seller');
      expect(canonical.status).toBe(204);
      expect({ status: alias.status, body: alias.body }).toEqual({ status: canonical.status, body: canonical.body });
      for (const id of [a.id, b.id]) expect((await send('get', `/api/v1/inventory/${id}/`, 'seller')).status).toBe(404);
    });
  });

  describe('order paths', () => {
    it('POST /api/orders/ places an order like /api/v1/orders/', async () => {
      const body = { gas_inventory: ids.item, quantity: 2, delivery_address: 'Twin Road 2', contact_phone: '+254700000222' };
      const before = (await send('get', `/api/v1/inventory/${ids.item}/`, 'seller')).body;
      const canonical = await send('post', '/api/v1/orders/', 'buyer', body);
      const alias = await send('post', '/api/orders/', 'buyer', body);
      expect(canonical.status).toBe(201);
      expect(canonical.body.total_price).toBe('3001.00');
      expectTwins(canonical, alias);
      const after = (await send('get', `/api/v1/inventory/${ids.item}/`, 'seller')).body;
      expect({ quantity: after.quantity, reserved: after.reserved_quantity }).toEqual({ quantity: before.quantity - 4, reserved: before.reserved_quantity + 4 });
    });

    it('PATCH /api/orders/{id}/ edits like /api/v1/orders/{id}/', async () => {
      const [a, b] = await orders(2, 'PENDING');
      const body = { delivery_address: 'New Place 9', contact_phone: '+254711999999' };
      const canonical = await send('patch', `/api/v1/orders/${a}/`, 'buyer', body);
      const alias = await send('patch', `/api/orders/${b}/`, 'buyer', body);
      expect(canonical.status).toBe(200);
      expectTwins(canonical, alias);
    });

    it('DELETE /api/orders/{id}/ withdraws like /api/v1/orders/{id}/', async () => {
      const [a, b] = await orders(2, 'PENDING');
      const canonical = await send('delete', `/api/v1/orders/${a}/`, 'buyer');
      const alias = await send('delete', `/api/orders/${b}/`, 'buyer');
      expect(canonical.status).toBe(204);
      expect({ status: alias.status, body: alias.body }).toEqual({ status: canonical.status, body: canonical.body });
      for (const id of [a, b]) expect((await send('get', `/api/v1/orders/${id}/`, 'buyer')).body.status).toBe('CANCELLED');
    });

    it.each([
      ['approve', 'PENDING', 'admin', undefined, 'APPROVED'],
      ['reject', 'PENDING', 'admin', { reason: 'Out of range' }, 'REJECTED'],
      ['cancel', 'PENDING', 'buyer', undefined, 'CANCELLED'],
      ['mark-delivered', 'APPROVED', 'seller', undefined, 'DELIVERED'],
    ] as const)('POST /api/orders/{id}/%s/ moves the order like /api/v1/', async (action, from, who, body, to) => {
      const [a, b] = await orders(2, from);
      const canonical = await send('post', `/api/v1/orders/${a}/${action}/`, who, body);
      const alias = await send('post', `/api/orders/${b}/${action}/`, who, body);
      expect({ status: canonical.status, to: canonical.body.status }).toEqual({ status: 200, to });
      expectTwins(canonical, alias);
      // And the same refusal once it has moved on.
      const again = await send('post', `/api/v1/orders/${a}/${action}/`, who, body);
      const againAlias = await send('post', `/api/orders/${b}/${action}/`, who, body);
      expect(seen(againAlias)).toEqual(seen(again));
      expect(again.status).toBe(409);
    });
  });

  describe('invoice, payment and rating paths', () => {
    it.each(['/api/invoices/', '/api/seller/invoice/'])('POST %s invoices an order like POST /api/v1/seller/invoice/', async (path) => {
      const [a, b] = await orders(2, 'APPROVED');
      const canonical = await send('post', '/api/v1/seller/invoice/', 'seller', { order: a });
      const alias = await send('post', path, 'seller', { order: b });
      expect(canonical.status).toBe(201);
      expectTwins(canonical, alias);
      expect(alias.body).toMatchObject({ order: b, amount: '1500.50', is_paid: false });
      expect(alias.body.invoice_number).toMatch(/^INV-[0-9A-F]{8}$/);
      // One invoice per order, refused alike.
      await expectSameAnswers('post', ['/api/v1/seller/invoice/', path, noSlash(path)], 'seller', { order: b });
    });

    it('GET /api/invoices/ still lists invoices (the POST alias does not capture GET)', async () => {
      const res = await expectSameAnswers('get', ['/api/v1/invoices/', '/api/invoices/', '/api/invoices'], 'seller');
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(0);
    });

    it('POST /api/invoices/{id}/approve/ approves like /api/v1/', async () => {
      const [a, b] = await Promise.all((await orders(2, 'APPROVED')).map(invoiceFor));
      const canonical = await send('post', `/api/v1/invoices/${a}/approve/`, 'admin');
      const alias = await send('post', `/api/invoices/${b}/approve/`, 'admin');
      expect({ status: canonical.status, approved: canonical.body.admin_approval }).toEqual({ status: 200, approved: true });
      expectTwins(canonical, alias);
    });

    it('POST /api/invoices/{id}/mark-as-paid/ settles like /api/v1/', async () => {
      const invoices: number[] = [];
      for (const order of await orders(2, 'DELIVERED')) invoices.push(await invoiceFor(order));
      for (const id of invoices) expect((await send('post', `/api/v1/invoices/${id}/approve/`, 'admin')).status).toBe(200);
      const body = { payment_method: 'Bank transfer', transaction_id: 'TX-ALIAS' };
      const canonical = await send('post', `/api/v1/invoices/${invoices[0]}/mark-as-paid/`, 'admin', body);
      const alias = await send('post', `/api/invoices/${invoices[1]}/mark-as-paid/`, 'admin', body);
      expect({ status: canonical.status, paid: canonical.body.is_paid }).toEqual({ status: 200, paid: true });
      expectTwins(canonical, alias);
      const payments = await send('get', '/api/payments/?page_size=200', 'buyer');
      const recorded = payments.body.filter((p: { invoice: number }) => invoices.includes(p.invoice));
      expect(recorded.map((p: { status: string; payment_method: string }) => [p.status, p.payment_method])).toEqual([
        ['COMPLETED', 'Bank transfer'],
        ['COMPLETED', 'Bank transfer'],
      ]);
    });

    it('POST /api/payments/ and PATCH /api/payments/{id}/ behave like /api/v1/', async () => {
      const invoices: number[] = [];
      for (const order of await orders(2, 'APPROVED')) invoices.push(await invoiceFor(order));
      const body = (invoice: number) => ({ invoice, amount: '1500.50', payment_method: 'M-Pesa', transaction_id: 'MP-1' });
      const canonical = await send('post', '/api/v1/payments/', 'buyer', body(invoices[0]));
      const alias = await send('post', '/api/payments/', 'buyer', body(invoices[1]));
      expect({ status: canonical.status, state: canonical.body.status }).toEqual({ status: 201, state: 'PENDING' });
      expectTwins(canonical, alias);

      const settled = await send('patch', `/api/v1/payments/${canonical.body.id}/`, 'admin', { status: 'COMPLETED' });
      const settledAlias = await send('patch', `/api/payments/${alias.body.id}/`, 'admin', { status: 'COMPLETED' });
      expect({ status: settled.status, state: settled.body.status, paid: settled.body.invoice_details.is_paid }).toEqual({ status: 200, state: 'COMPLETED', paid: true });
      expectTwins(settled, settledAlias);
    });

    it.each(['/api/ratings/', '/api/feedback/'])('POST %s rates like POST /api/v1/feedback/', async (path) => {
      const [a, b] = await orders(2, 'DELIVERED');
      const canonical = await send('post', '/api/v1/feedback/', 'buyer', { order: a, rating: 5, comment: 'Great' });
      const alias = await send('post', path, 'buyer', { order: b, rating: 5, comment: 'Great' });
      expect(canonical.status).toBe(201);
      expectTwins(canonical, alias);
      await expectSameAnswers('post', ['/api/v1/feedback/', path, noSlash(path)], 'buyer', { order: b, rating: 1 });
    });

    it('GET /api/ratings/ and /api/ratings/{id}/ still read ratings (the POST alias does not capture GET)', async () => {
      const list = await expectSameAnswers('get', ['/api/v1/ratings/', '/api/ratings/', '/api/ratings'], 'buyer');
      expect(list.body.map((r: { id: number }) => r.id)).toContain(ids.rating);
      const one = await expectSameAnswers('get', [`/api/v1/ratings/${ids.rating}/`, `/api/ratings/${ids.rating}/`, `/api/ratings/${ids.rating}`], 'buyer');
      expect(one.body).toMatchObject({ id: ids.rating, order: ids.order, rating: 4 });
    });
  });

  describe('query strings and pagination through the aliases', () => {
    let pager: TestUser;
    /** The pager's items, cheapest first. */
    let items: { id: number; unit_price: string; brand: string; weight_kg: number; location: string }[];
    const town = unique('Pagetown');

    beforeAll(async () => {
      pager = await createUser(t, 'SELLER');
      const specs = [
        { brand: 'MERU', weight_kg: 6, unit_price: '900.00', location: `${town} North` },
        { brand: 'MERU', weight_kg: 13, unit_price: '2100.00', location: `${town} South` },
        { brand: 'JIBU', weight_kg: 6, unit_price: '950.00', location: `${town} East` },
        { brand: 'MERU', weight_kg: 6, unit_price: '1000.00', location: `${town} West` },
        { brand: 'TOTAL', weight_kg: 6, unit_price: '1200.00', location: `${town} Centre` },
      ];
      items = [];
      for (const spec of specs) {
        const item = await createItem(t, pager, { ...spec, quantity: 4 });
        items.push({ id: item.id, ...spec });
      }
      items.sort((a, b) => Number(a.unit_price) - Number(b.unit_price));
    });

    it('filters survive the rewrite: GET /api/inventory/?... equals GET /api/v1/gas/?...', async () => {
      const query = `brand=meru&weight=6kg&location=${encodeURIComponent(town.toLowerCase())}&min_price=950&max_price=2000&ordering=-unit_price`;
      const res = await expectSameAnswers(
        'get',
        [`/api/v1/gas/?${query}`, `/api/v1/gas?${query}`, `/api/gas/?${query}`, `/api/inventory/?${query}`, `/api/inventory?${query}`],
        'buyer',
      );
      const expected = items
        .filter((i) => i.brand === 'MERU' && i.weight_kg === 6 && Number(i.unit_price) >= 950 && Number(i.unit_price) <= 2000)
        .sort((a, b) => Number(b.unit_price) - Number(a.unit_price))
        .map((i) => i.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(res.body.map((i: { id: number }) => i.id)).toEqual(expected);
      expect(res.headers['x-total-count']).toBe(String(expected.length));
    });

    it('search and seller filters survive the rewrite', async () => {
      const query = `seller=${pager.id}&search=${encodeURIComponent(`${town} w`)}`;
      const res = await expectSameAnswers('get', [`/api/v1/gas/?${query}`, `/api/inventory/?${query}`, `/api/inventory?${query}`], 'buyer');
      expect(res.body.map((i: { id: number }) => i.id)).toEqual(items.filter((i) => i.location.endsWith('West')).map((i) => i.id));
    });

    it('pages through a list of five with page_size=2: X-Total-Count and Link next/prev, followed through the alias', async () => {
      const start = `/api/inventory/?seller=${pager.id}&ordering=unit_price&page_size=2`;
      const seenIds: number[] = [];
      const pages: { count: number; rels: string[] }[] = [];
      let url: string | undefined = start;
      let previous: string | undefined;
      while (url) {
        const res = await send('get', url, 'buyer');
        expect(res.status).toBe(200);
        expect(res.headers['x-total-count']).toBe('5');
        const rels = Object.keys(links(res.headers['link'])).sort();
        pages.push({ count: res.body.length, rels });
        seenIds.push(...res.body.map((i: { id: number }) => i.id));
        // Each link keeps the filters and stays on the path the client used.
        for (const [rel, params] of Object.entries(links(res.headers['link']))) {
          expect({ rel, seller: params.seller, ordering: params.ordering, page_size: params.page_size }).toEqual({ rel, seller: String(pager.id), ordering: 'unit_price', page_size: '2' });
          expect(linkUrl(res.headers['link'], rel)).toMatch(/^\/api\/inventory\/?\?/);
        }
        // prev points back at the page we came from.
        if (previous) {
          const back = await send('get', linkUrl(res.headers['link'], 'prev')!, 'buyer');
          const before = await send('get', previous, 'buyer');
          expect(back.body).toEqual(before.body);
        }
        previous = url;
        url = linkUrl(res.headers['link'], 'next');
        expect(pages.length).toBeLessThanOrEqual(3);
      }
      expect(pages).toEqual([
        { count: 2, rels: ['first', 'last', 'next'] },
        { count: 2, rels: ['first', 'last', 'next', 'prev'] },
        { count: 1, rels: ['first', 'last', 'prev'] },
      ]);
      expect(seenIds).toEqual(items.map((i) => i.id));
      // The same page through the canonical path is the same answer.
      await expectSameAnswers('get', [`/api/v1/gas/?seller=${pager.id}&ordering=unit_price&page_size=2&page=2`, `/api/inventory/?seller=${pager.id}&ordering=unit_price&page_size=2&page=2`], 'buyer');
    });

    it('paginates the seller-only alias /api/inventory/my_inventory/ like /api/v1/seller/inventory/', async () => {
      const paths = ['/api/v1/seller/inventory/?page_size=2&page=3', '/api/inventory/my_inventory/?page_size=2&page=3', '/api/inventory/my_inventory?page_size=2&page=3'];
      const res = await expectSameAnswers('get', paths, pager);
      expect(res.headers['x-total-count']).toBe('5');
      expect(res.body).toHaveLength(1);
      expect(Object.keys(links(res.headers['link'])).sort()).toEqual(['first', 'last', 'prev']);
    });

    it('passes ?status= and pagination through /api/orders/my_orders/ and /api/orders/seller_orders/', async () => {
      const all = await send('get', '/api/v1/orders/?page_size=200', 'buyer');
      const pending = all.body.filter((o: { status: string }) => o.status === 'PENDING');
      expect(pending.length).toBeGreaterThan(1);
      const mine = await expectSameAnswers(
        'get',
        ['/api/v1/orders/my_orders/?status=PENDING&page_size=1', '/api/orders/my_orders/?status=PENDING&page_size=1', '/api/orders/my_orders?status=PENDING&page_size=1'],
        'buyer',
      );
      expect(mine.headers['x-total-count']).toBe(String(pending.length));
      expect(mine.body.map((o: { id: number }) => o.id)).toEqual([pending[0].id]);
      expect(links(mine.headers['link']).next).toMatchObject({ status: 'PENDING', page: '2', page_size: '1' });

      const sellerAll = await send('get', '/api/v1/seller/orders/?page_size=200', 'seller');
      const delivered = sellerAll.body.filter((o: { status: string }) => o.status === 'DELIVERED');
      expect(delivered.length).toBeGreaterThan(1);
      const theirs = await expectSameAnswers(
        'get',
        ['/api/v1/seller/orders/?status=DELIVERED&page_size=1&page=2', '/api/orders/seller_orders/?status=DELIVERED&page_size=1&page=2', '/api/seller/orders?status=DELIVERED&page_size=1&page=2'],
        'seller',
      );
      expect(theirs.headers['x-total-count']).toBe(String(delivered.length));
      expect(theirs.body.map((o: { id: number }) => o.id)).toEqual([delivered[1].id]);
    });

    describe('page_size above 200', () => {
      let bulk: TestUser;
      let bulkIds: number[];

      beforeAll(async () => {
        bulk = await createUser(t, 'SELLER');
        bulkIds = [];
        for (let i = 0; i < 201; i++) bulkIds.push((await createItem(t, bulk, { quantity: 1, location: 'Bulk Yard' })).id);
      });

      it.each([201, 500, 100000])('page_size=%i is clamped to 200', async (size) => {
        const res = await expectSameAnswers('get', [`/api/v1/gas/?seller=${bulk.id}&page_size=${size}`, `/api/inventory/?seller=${bulk.id}&page_size=${size}`], 'buyer');
        expect(res.status).toBe(200);
        expect(res.headers['x-total-count']).toBe('201');
        expect(res.body).toHaveLength(200);
        expect(links(res.headers['link']).next).toMatchObject({ page: '2', page_size: '200' });
        const rest = await send('get', linkUrl(res.headers['link'], 'next')!, 'buyer');
        expect(rest.body).toHaveLength(1);
        expect(new Set([...res.body, ...rest.body].map((i: { id: number }) => i.id))).toEqual(new Set(bulkIds));
      });

      it('page_size above 200 is clamped on the seller alias too', async () => {
        const res = await expectSameAnswers('get', ['/api/v1/seller/inventory/?page_size=1000', '/api/inventory/my_inventory/?page_size=1000'], bulk);
        expect(res.body).toHaveLength(200);
        expect(res.headers['x-total-count']).toBe('201');
      });
    });
  });

  it('leaves the stock figures consistent with the orders', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
