import type { Response } from 'supertest';
import {
  createAdmin,
  createItem,
  createUser,
  expectError,
  PASSWORD,
  placeOrder,
  stockInvariantViolations,
  TestUser,
  unique,
} from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * Bad input on every write endpoint and every `/{id}` route: each case is one
 * request that must be refused with a 400 (413 for an oversized body) in the
 * contract's error shape, never a 5xx, and must change nothing a client can see.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Who = 'anon' | 'buyer' | 'seller' | 'admin' | 'logoutSession';
type Body = Record<string, unknown>;

interface Fixtures {
  buyer: TestUser;
  seller: TestUser;
  admin: TestUser;
  /** Login sessions the auth cases use, so a wrongly accepted request cannot break the others. */
  logoutSession: { access: string; refresh: string };
  refreshSession: { access: string; refresh: string };
  ids: Record<'item' | 'pending' | 'approved' | 'delivered' | 'invoice' | 'payment', number>;
}

interface Endpoint {
  name: string;
  method: Method;
  /** With `{item}`, `{pending}`... placeholders for the fixtures' ids. */
  path: string;
  who: Who;
  /** A body the endpoint would accept; each case breaks one thing in it. */
  valid: (f: Fixtures) => Body;
}

interface Case {
  title: string;
  endpoint: Endpoint;
  path?: string;
  body?: (f: Fixtures) => unknown;
  /** Sent as is, with content-type application/json. */
  raw?: string;
  status: 400 | 413;
  code: string;
  /** The fields `errors` must name, exactly; undefined when the body as a whole is wrong. */
  fields?: string[];
}

// ---------------------------------------------------------------- values

const HUGE = 'x'.repeat(10_000);
const show = (v: unknown) => (typeof v === 'string' && v.length > 30 ? `"${v[0]}…" (${v.length} chars)` : JSON.stringify(v));

interface Mutation {
  label: string;
  apply: (body: Body) => Body;
  fields: string[];
}
const set = (field: string, value: unknown): Mutation => ({
  label: `${field} = ${show(value)}`,
  apply: (b) => ({ ...b, [field]: value }),
  fields: [field],
});
const missing = (field: string): Mutation => ({
  label: `${field} missing`,
  apply: (b) => {
    const { [field]: _, ...rest } = b;
    return rest;
  },
  fields: [field],
});
const unknownField = (field: string, value: unknown): Mutation => ({ ...set(field, value), label: `unknown field ${field} = ${show(value)}` });

/** Wrong types for a string field; `required` adds missing, null and empty. */
const stringField = (field: string, opts: { required?: boolean; max?: number; nullable?: boolean } = {}): Mutation[] => [
  ...(opts.required ? [missing(field), set(field, '')] : []),
  ...(opts.required || opts.nullable === false ? [set(field, null)] : []),
  set(field, 123),
  set(field, true),
  set(field, ['text']),
  set(field, { text: 'x' }),
  set(field, HUGE),
  ...(opts.max ? [set(field, 'y'.repeat(opts.max + 1))] : []),
];
/** An id in the body (order, invoice, gas_inventory). */
const idField = (field: string): Mutation[] => [
  missing(field),
  set(field, null),
  set(field, '1'),
  set(field, 1.5),
  set(field, 0),
  set(field, -1),
  set(field, 99_999_999_999),
  set(field, true),
  set(field, [1]),
  set(field, { id: 1 }),
];
/** An integer count; `min` is the smallest accepted value. */
const countField = (field: string, opts: { required: boolean; min: number; max?: number }): Mutation[] => [
  ...(opts.required ? [missing(field)] : []),
  set(field, null),
  set(field, '5'),
  set(field, 1.5),
  set(field, 2.25),
  ...(opts.min > 0 ? [set(field, 0)] : []),
  set(field, -1),
  set(field, -100),
  ...(opts.max ? [set(field, opts.max + 1)] : []),
  set(field, true),
  set(field, [1]),
  set(field, { n: 1 }),
];
/** Money: a number or numeric string, two decimals at most, at least 0.01. */
const moneyField = (field: string, opts: { required: boolean }): Mutation[] => [
  ...(opts.required ? [missing(field)] : []),
  set(field, null),
  set(field, 0),
  set(field, '0.00'),
  set(field, -1),
  set(field, '-25.00'),
  set(field, 12.345),
  set(field, '12.345'),
  set(field, '12.3456789'),
  set(field, 'abc'),
  set(field, ''),
  set(field, '1e3'),
  set(field, '12,50'),
  set(field, '100000000000.00'),
  set(field, true),
  set(field, [100]),
  set(field, { amount: 100 }),
];
const weightField = (field: string, opts: { required: boolean }): Mutation[] => [
  ...(opts.required ? [missing(field)] : []),
  set(field, null),
  set(field, '13'),
  set(field, 0),
  set(field, -6),
  set(field, 12.55),
  set(field, 6.125),
  set(field, 1001),
  set(field, true),
  set(field, [13]),
  set(field, { kg: 13 }),
];

// ---------------------------------------------------------------- endpoints

let counter = 0;
const endpoints = <K extends string>(all: Record<K, Endpoint>) => all;
const ENDPOINTS = endpoints({
  register: {
    name: 'POST /register/',
    method: 'post',
    path: '/api/v1/register/',
    who: 'anon',
    valid: () => {
      const username = unique('badreg');
      return { username, email: `${username}@example.com`, password: 'a-long-secret-1', role: 'BUYER' };
    },
  },
  login: {
    name: 'POST /login/',
    method: 'post',
    path: '/api/v1/login/',
    who: 'anon',
    valid: (f) => ({ username: f.buyer.username, password: PASSWORD }),
  },
  refresh: {
    name: 'POST /token/refresh/',
    method: 'post',
    path: '/api/v1/token/refresh/',
    who: 'anon',
    valid: (f) => ({ refresh: f.refreshSession.refresh }),
  },
  logout: {
    name: 'POST /logout/',
    method: 'post',
    path: '/api/v1/logout/',
    who: 'logoutSession',
    valid: (f) => ({ refresh: f.logoutSession.refresh }),
  },
  brand: {
    name: 'POST /brands/',
    method: 'post',
    path: '/api/v1/brands/',
    who: 'admin',
    valid: () => ({ code: `BAD${process.pid % 1000}X${++counter}`, name: 'Bad Input Gas' }),
  },
  itemCreate: {
    name: 'POST /inventory/',
    method: 'post',
    path: '/api/v1/inventory/',
    who: 'seller',
    valid: () => ({ brand: 'JIBU', weight_kg: 6, quantity: 5, unit_price: '1200.00', location: 'Thika Road' }),
  },
  itemPatch: { name: 'PATCH /inventory/{id}/', method: 'patch', path: '/api/v1/inventory/{item}/', who: 'seller', valid: () => ({}) },
  itemPut: { name: 'PUT /inventory/{id}/', method: 'put', path: '/api/v1/inventory/{item}/', who: 'seller', valid: () => ({}) },
  orderCreate: {
    name: 'POST /orders/',
    method: 'post',
    path: '/api/v1/orders/',
    who: 'buyer',
    valid: (f) => ({ gas_inventory: f.ids.item, quantity: 1, delivery_address: 'Kenyatta Avenue 3', contact_phone: '+254700000009' }),
  },
  orderPatch: { name: 'PATCH /orders/{id}/', method: 'patch', path: '/api/v1/orders/{pending}/', who: 'buyer', valid: () => ({}) },
  reject: { name: 'POST /orders/{id}/reject/', method: 'post', path: '/api/v1/orders/{pending}/reject/', who: 'admin', valid: () => ({}) },
  // Actions that take no body: any field in one is refused, and the action is not carried out.
  approve: { name: 'POST /orders/{id}/approve/', method: 'post', path: '/api/v1/orders/{pending}/approve/', who: 'admin', valid: () => ({}) },
  cancel: { name: 'POST /orders/{id}/cancel/', method: 'post', path: '/api/v1/orders/{pending}/cancel/', who: 'buyer', valid: () => ({}) },
  deliver: {
    name: 'POST /orders/{id}/mark-delivered/',
    method: 'post',
    path: '/api/v1/orders/{approved}/mark-delivered/',
    who: 'admin',
    valid: () => ({}),
  },
  withdraw: { name: 'DELETE /orders/{id}/', method: 'delete', path: '/api/v1/orders/{pending}/', who: 'buyer', valid: () => ({}) },
  itemDelete: { name: 'DELETE /inventory/{id}/', method: 'delete', path: '/api/v1/inventory/{item}/', who: 'seller', valid: () => ({}) },
  invoiceApprove: {
    name: 'POST /invoices/{id}/approve/',
    method: 'post',
    path: '/api/v1/invoices/{invoice}/approve/',
    who: 'admin',
    valid: () => ({}),
  },
  invoice: {
    name: 'POST /seller/invoice/',
    method: 'post',
    path: '/api/v1/seller/invoice/',
    who: 'seller',
    valid: (f) => ({ order: f.ids.approved }),
  },
  paymentCreate: {
    name: 'POST /payments/',
    method: 'post',
    path: '/api/v1/payments/',
    who: 'buyer',
    valid: (f) => ({ invoice: f.ids.invoice, amount: '10.00', payment_method: 'M-Pesa' }),
  },
  paymentPatch: { name: 'PATCH /payments/{id}/', method: 'patch', path: '/api/v1/payments/{payment}/', who: 'admin', valid: () => ({}) },
  markPaid: {
    name: 'POST /invoices/{id}/mark-as-paid/',
    method: 'post',
    path: '/api/v1/invoices/{invoice}/mark-as-paid/',
    who: 'admin',
    valid: () => ({}),
  },
  feedback: {
    name: 'POST /feedback/',
    method: 'post',
    path: '/api/v1/feedback/',
    who: 'buyer',
    valid: (f) => ({ order: f.ids.delivered, rating: 4, comment: 'Fine.' }),
  },
});

/** Field mutations per endpoint. Every one must be a 400 naming exactly `fields`. */
const FIELD_MUTATIONS: [Endpoint, Mutation[]][] = [
  [
    ENDPOINTS.register,
    [
      ...stringField('username', { required: true, max: 150 }),
      set('username', 'has space'),
      set('username', 'semi;colon'),
      ...stringField('email', { required: true, max: 254 }),
      set('email', 'not-an-email'),
      set('email', 'a@'),
      ...stringField('password', { required: true, max: 128 }),
      set('password', 'short'),
      set('password', '12345678'),
      set('password', '        '),
      { label: 'password = username', apply: (b) => ({ ...b, password: b.username }), fields: ['password'] },
      { label: 'password = email (other case)', apply: (b) => ({ ...b, password: String(b.email).toUpperCase() }), fields: ['password'] },
      missing('role'),
      set('role', null),
      set('role', 'SUPERUSER'),
      set('role', 1),
      set('role', ['BUYER']),
      ...stringField('first_name', { max: 150 }),
      ...stringField('last_name', { max: 150 }),
      ...stringField('phone_number', { max: 32 }),
      set('phone_number', 'call me maybe'),
      ...stringField('address', { max: 500 }),
      unknownField('is_active', false),
      unknownField('is_staff', true),
      unknownField('is_superuser', true),
      unknownField('id', 1),
      unknownField('date_joined', '2020-01-01T00:00:00Z'),
    ],
  ],
  [
    ENDPOINTS.login,
    [
      ...stringField('username', { required: true, max: 254 }),
      ...stringField('password', { required: true, max: 128 }),
      unknownField('role', 'ADMIN'),
      unknownField('remember_me', true),
    ],
  ],
  [ENDPOINTS.refresh, [...stringField('refresh', { required: true, max: 4096 }), unknownField('access', 'x'), unknownField('user', 1)]],
  [ENDPOINTS.logout, [...stringField('refresh', { required: true, max: 4096 }), unknownField('all', true), unknownField('user', 1)]],
  [
    ENDPOINTS.brand,
    [
      ...stringField('code', { required: true, max: 20 }),
      set('code', 'HAS SPACE'),
      set('code', 'BAD!'),
      set('code', '   '),
      ...stringField('name', { required: true, max: 100 }),
      unknownField('id', 99),
      unknownField('created_at', '2020-01-01T00:00:00Z'),
    ],
  ],
  [
    ENDPOINTS.itemCreate,
    [
      ...stringField('brand', { required: true, max: 20 }),
      set('brand', 'NO_SUCH_BRAND'),
      set('brand', '   '),
      ...weightField('weight_kg', { required: true }),
      ...countField('quantity', { required: true, min: 1, max: 1_000_000 }),
      ...moneyField('unit_price', { required: true }),
      ...stringField('location', { required: true, max: 255 }),
      set('location', '   '),
      unknownField('seller', 1),
      unknownField('seller_name', 'Someone Else'),
      unknownField('reserved_quantity', 0),
      unknownField('id', 1),
      unknownField('date_added', '2020-01-01T00:00:00Z'),
      unknownField('status', 'ACTIVE'),
    ],
  ],
  ...[ENDPOINTS.itemPatch, ENDPOINTS.itemPut].map(
    (endpoint): [Endpoint, Mutation[]] => [
      endpoint,
      [
        ...stringField('brand', { max: 20, nullable: false }),
        set('brand', 'NO_SUCH_BRAND'),
        set('brand', ''),
        ...weightField('weight_kg', { required: false }),
        ...countField('quantity', { required: false, min: 0, max: 1_000_000 }),
        ...moneyField('unit_price', { required: false }),
        ...stringField('location', { max: 255, nullable: false }),
        set('location', ''),
        set('location', '   '),
        unknownField('seller', 1),
        unknownField('reserved_quantity', 0),
        unknownField('id', 1),
        unknownField('last_updated', '2020-01-01T00:00:00Z'),
      ],
    ],
  ),
  [
    ENDPOINTS.orderCreate,
    [
      ...idField('gas_inventory'),
      ...countField('quantity', { required: true, min: 1, max: 1_000_000 }),
      ...stringField('delivery_address', { required: true, max: 500 }),
      set('delivery_address', '   '),
      ...stringField('contact_phone', { required: true, max: 32 }),
      set('contact_phone', '12'),
      set('contact_phone', 'call me'),
      unknownField('status', 'APPROVED'),
      unknownField('total_price', '0.01'),
      unknownField('unit_price', '0.01'),
      unknownField('buyer', 1),
      unknownField('seller', 1),
    ],
  ],
  [
    ENDPOINTS.orderPatch,
    [
      ...stringField('delivery_address', { max: 500, nullable: false }),
      set('delivery_address', ''),
      ...stringField('contact_phone', { max: 32, nullable: false }),
      set('contact_phone', ''),
      set('contact_phone', 'call me'),
      unknownField('status', 'DELIVERED'),
      unknownField('total_price', '0.01'),
      unknownField('quantity', 1),
      unknownField('gas_inventory', 1),
      unknownField('buyer', 1),
      unknownField('seller', 1),
    ],
  ],
  [ENDPOINTS.reject, [...stringField('reason', { max: 500 }), unknownField('status', 'APPROVED'), unknownField('release_stock', false)]],
  [ENDPOINTS.approve, [unknownField('status', 'DELIVERED'), unknownField('total_price', '1')]],
  [ENDPOINTS.cancel, [unknownField('reason', 'x'), unknownField('status', 'DELIVERED')]],
  [ENDPOINTS.deliver, [unknownField('quantity', 99), unknownField('status', 'CANCELLED')]],
  [ENDPOINTS.withdraw, [unknownField('x', 1), unknownField('status', 'APPROVED')]],
  [ENDPOINTS.itemDelete, [unknownField('force', true)]],
  [ENDPOINTS.invoiceApprove, [unknownField('is_paid', false), unknownField('amount', '1')]],
  [
    ENDPOINTS.invoice,
    [
      ...idField('order'),
      unknownField('amount', '0.01'),
      unknownField('invoice_number', 'INV-00000000'),
      unknownField('is_paid', true),
      unknownField('admin_approval', true),
      unknownField('seller', 1),
    ],
  ],
  [
    ENDPOINTS.paymentCreate,
    [
      ...idField('invoice'),
      ...moneyField('amount', { required: true }),
      set('amount', '999999.00'),
      ...stringField('payment_method', { required: true, max: 50 }),
      ...stringField('transaction_id', { max: 100 }),
      set('transaction_id', ''),
      unknownField('status', 'COMPLETED'),
      unknownField('buyer', 1),
      unknownField('id', 1),
    ],
  ],
  [
    ENDPOINTS.paymentPatch,
    [
      set('status', 'PAID'),
      set('status', 'REFUNDED'),
      set('status', null),
      set('status', 1),
      set('status', true),
      set('status', ['COMPLETED']),
      ...stringField('transaction_id', { max: 100 }),
      set('transaction_id', ''),
      unknownField('amount', '0.01'),
      unknownField('invoice', 1),
      unknownField('payment_method', 'Cash'),
    ],
  ],
  [
    ENDPOINTS.markPaid,
    [
      ...stringField('payment_method', { max: 50 }),
      set('payment_method', ''),
      ...stringField('transaction_id', { max: 100 }),
      set('transaction_id', ''),
      unknownField('amount', '0.01'),
      unknownField('is_paid', true),
      unknownField('status', 'COMPLETED'),
      unknownField('payment_date', '2020-01-01T00:00:00Z'),
    ],
  ],
  [
    ENDPOINTS.feedback,
    [
      ...idField('order'),
      missing('rating'),
      set('rating', null),
      set('rating', '5'),
      set('rating', 0),
      set('rating', 6),
      set('rating', -1),
      set('rating', 4.5),
      set('rating', true),
      set('rating', [5]),
      ...stringField('comment', { max: 2000 }),
      unknownField('buyer_name', 'Someone'),
      unknownField('seller_name', 'Someone'),
      unknownField('buyer', 1),
      unknownField('id', 1),
    ],
  ],
];

/** Bodies that are not a JSON object at all, on every write endpoint. */
function wholeBodyCases(endpoint: Endpoint): Case[] {
  const common = { endpoint, status: 400 as const, code: 'validation_error' };
  return [
    { ...common, title: 'invalid JSON (truncated)', raw: '{"quantity": 1,' },
    { ...common, title: 'invalid JSON (plain text)', raw: 'hello there' },
    { ...common, title: 'invalid JSON (single quotes)', raw: "{'a': 1}" },
    { ...common, title: 'a JSON array', raw: JSON.stringify([{ a: 1 }]) },
    { ...common, title: 'an empty JSON array', raw: '[]' },
    { ...common, title: 'a JSON string', raw: '"hello"' },
    { ...common, title: 'a JSON number', raw: '42' },
    { ...common, title: 'JSON null', raw: 'null' },
    // Valid JSON with the keys that would reach an object's prototype: named, as any body field called after a
    // built-in object member is, rather than refused as no JSON.
    { ...common, title: 'a __proto__ key', raw: '{"__proto__": {"role": "ADMIN"}}', fields: ['__proto__'] },
    { ...common, title: 'a __proto__ key in a nested object', raw: '{"note": [{"__proto__": {}}]}', fields: ['note.0.__proto__'] },
    { ...common, title: 'a constructor holding a prototype', raw: '{"constructor": {"prototype": {"role": "ADMIN"}}}', fields: ['constructor'] },
    // 2,000 levels overflowed the validator's walk (a 500); any field nested deeper than the API's is refused by name.
    { ...common, title: 'a value nested 2,000 levels deep', raw: `{"note": ${'['.repeat(2000)}1${']'.repeat(2000)}}`, fields: [`note${'.0'.repeat(31)}`] },
  ];
}

function fieldCases(endpoint: Endpoint, mutations: Mutation[]): Case[] {
  return mutations.map((m) => ({
    title: m.label,
    endpoint,
    body: (f: Fixtures) => m.apply(endpoint.valid(f)),
    status: 400,
    code: 'validation_error',
    fields: m.fields,
  }));
}

/** Endpoints with required fields also refuse an empty object and no body at all. */
function emptyBodyCases(endpoint: Endpoint, required: string[]): Case[] {
  if (required.length === 0) return [];
  const common = { endpoint, status: 400 as const, code: 'validation_error', fields: required };
  return [
    { ...common, title: 'empty object', body: () => ({}) },
    { ...common, title: 'no body at all' },
  ];
}

const REQUIRED: Record<string, string[]> = {
  [ENDPOINTS.register.name]: ['email', 'password', 'role', 'username'],
  [ENDPOINTS.login.name]: ['password', 'username'],
  [ENDPOINTS.refresh.name]: ['refresh'],
  [ENDPOINTS.logout.name]: ['refresh'],
  [ENDPOINTS.brand.name]: ['code', 'name'],
  [ENDPOINTS.itemCreate.name]: ['brand', 'location', 'quantity', 'unit_price', 'weight_kg'],
  [ENDPOINTS.orderCreate.name]: ['contact_phone', 'delivery_address', 'gas_inventory', 'quantity'],
  [ENDPOINTS.invoice.name]: ['order'],
  [ENDPOINTS.paymentCreate.name]: ['amount', 'invoice', 'payment_method'],
  [ENDPOINTS.feedback.name]: ['order', 'rating'],
};

// ---------------------------------------------------------------- path ids

const BAD_IDS = ['abc', '-1', '0', '1.5', '99999999999', '1e3', '0x1F', '12abc'];

/** Every `/{id}` route, with a caller allowed to use it and a body it would accept. */
const ID_ROUTES: { method: Method; path: string; who: Who; body?: Body }[] = [
  { method: 'get', path: '/api/v1/inventory/{id}/', who: 'admin' },
  { method: 'patch', path: '/api/v1/inventory/{id}/', who: 'seller', body: { location: 'Somewhere' } },
  { method: 'put', path: '/api/v1/inventory/{id}/', who: 'seller', body: { location: 'Somewhere' } },
  { method: 'delete', path: '/api/v1/inventory/{id}/', who: 'seller' },
  { method: 'post', path: '/api/v1/inventory/{id}/restock/', who: 'seller', body: { quantity: 1 } },
  { method: 'get', path: '/api/v1/inventory/{id}/movements/', who: 'seller' },
  { method: 'get', path: '/api/v1/orders/{id}/', who: 'admin' },
  { method: 'patch', path: '/api/v1/orders/{id}/', who: 'buyer', body: { delivery_address: 'Elsewhere 1' } },
  { method: 'delete', path: '/api/v1/orders/{id}/', who: 'buyer' },
  { method: 'post', path: '/api/v1/orders/{id}/approve/', who: 'admin' },
  { method: 'post', path: '/api/v1/orders/{id}/reject/', who: 'admin', body: { reason: 'No' } },
  { method: 'post', path: '/api/v1/orders/{id}/cancel/', who: 'buyer' },
  { method: 'post', path: '/api/v1/orders/{id}/mark-delivered/', who: 'seller' },
  { method: 'get', path: '/api/v1/invoices/{id}/', who: 'admin' },
  { method: 'post', path: '/api/v1/invoices/{id}/approve/', who: 'admin' },
  { method: 'post', path: '/api/v1/invoices/{id}/mark-as-paid/', who: 'admin', body: {} },
  { method: 'get', path: '/api/v1/payments/{id}/', who: 'admin' },
  { method: 'patch', path: '/api/v1/payments/{id}/', who: 'admin', body: { transaction_id: 'T-1' } },
  { method: 'get', path: '/api/v1/ratings/{id}/', who: 'admin' },
  { method: 'get', path: '/api/v1/profiles/{id}/', who: 'admin' },
  { method: 'patch', path: '/api/v1/profiles/{id}/', who: 'admin', body: { is_active: true } },
];

// ---------------------------------------------------------------- the suite

interface Snapshot {
  [name: string]: unknown;
}

describe('bad input', () => {
  let t: TestApp;
  let f: Fixtures;
  let before: Snapshot;

  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

  async function list(path: string, who: TestUser) {
    const res = await t.http.get(path).query({ page_size: 200 }).set(who.auth);
    expect(res.status).toBe(200);
    return { total: res.headers['x-total-count'], items: res.body as Record<string, unknown>[] };
  }

  /** Everything the bad requests could have touched, as the API shows it. */
  async function snapshot(): Promise<Snapshot> {
    const item = await t.http.get(`/api/v1/inventory/${f.ids.item}/`).set(f.seller.auth);
    expect(item.status).toBe(200);
    const items = await list('/api/v1/seller/inventory/', f.seller);
    const orders = await list('/api/v1/orders/', f.buyer);
    const invoices = await list('/api/v1/invoices/', f.buyer);
    const payments = await list('/api/v1/payments/', f.buyer);
    const ratings = await list('/api/v1/ratings/', f.buyer);
    const profiles = await list('/api/v1/profiles/', f.admin);
    const brands = await t.http.get('/api/v1/brands/').set(f.admin.auth);
    return {
      item: pick(item.body, ['brand', 'weight_kg', 'quantity', 'reserved_quantity', 'unit_price', 'location', 'seller']),
      sellerItems: { total: items.total, items: items.items.map((i) => pick(i, ['id', 'brand', 'weight_kg', 'quantity', 'reserved_quantity', 'unit_price', 'location'])) },
      orders: {
        total: orders.total,
        items: orders.items.map((o) => pick(o, ['id', 'gas_inventory', 'status', 'quantity', 'total_price', 'delivery_address', 'contact_phone', 'seller'])),
      },
      invoices: { total: invoices.total, items: invoices.items.map((i) => pick(i, ['id', 'order', 'amount', 'is_paid', 'admin_approval', 'payment_date'])) },
      payments: { total: payments.total, items: payments.items.map((p) => pick(p, ['id', 'invoice', 'amount', 'status', 'transaction_id', 'payment_method'])) },
      ratings: { total: ratings.total, items: ratings.items.map((r) => pick(r, ['id', 'order', 'rating', 'comment'])) },
      profiles: { total: profiles.total, items: profiles.items.map((p) => pick(p, ['id', 'role', 'is_active'])) },
      brands: brands.body,
    };
  }

  function resolvePath(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_, name: keyof Fixtures['ids']) => String(f.ids[name]));
  }

  function authFor(who: Who): Record<string, string> {
    if (who === 'anon') return {};
    if (who === 'logoutSession') return { Authorization: `Bearer ${f.logoutSession.access}` };
    return f[who].auth;
  }

  async function send(method: Method, path: string, who: Who, body: unknown, raw?: string): Promise<Response> {
    const req = t.http[method](path).set(authFor(who));
    if (raw !== undefined) return req.set('Content-Type', 'application/json').send(raw);
    if (body === undefined) return req;
    return req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  }

  /** The contract's error shape; for field errors, `errors` names exactly the offending fields. */
  function expectRefused(res: Response, c: Pick<Case, 'status' | 'code' | 'fields'>, request: string): void {
    if (res.status !== c.status || res.body?.code !== c.code) {
      // Shown on failure: the request and what the API answered.
      expect({ request, status: res.status, body: res.body }).toEqual({ request, status: c.status, body: expect.objectContaining({ code: c.code }) });
    }
    expectError(res, c.status, c.code);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).every((k) => ['detail', 'code', 'errors'].includes(k))).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+|QueryFailedError|SELECT |INSERT |UPDATE /);
    if (res.body.errors !== undefined) {
      expect(typeof res.body.errors).toBe('object');
      expect(Array.isArray(res.body.errors)).toBe(false);
      for (const messages of Object.values(res.body.errors)) {
        expect(Array.isArray(messages)).toBe(true);
        expect((messages as unknown[]).length).toBeGreaterThan(0);
        for (const m of messages as unknown[]) expect(typeof m).toBe('string');
      }
    }
    if (c.fields) {
      expect({ request, fields: Object.keys(res.body.errors ?? {}).sort() }).toEqual({ request, fields: [...c.fields].sort() });
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    const [buyer, seller, admin] = await Promise.all([createUser(t, 'BUYER'), createUser(t, 'SELLER'), createAdmin(t)]);
    const login = async () => {
      const res = await t.http.post('/api/v1/login/').send({ username: buyer.username, password: PASSWORD });
      expect(res.status).toBe(200);
      return res.body as { access: string; refresh: string };
    };
    const item = await createItem(t, seller, { quantity: 20, unit_price: '2500.00', weight_kg: 13, location: 'Bad Input Street' });
    const pending = await placeOrder(t, buyer, item.id, 2);
    const approved = await placeOrder(t, buyer, item.id, 1);
    const delivered = await placeOrder(t, buyer, item.id, 1);
    for (const id of [approved.id, delivered.id]) {
      expect((await t.http.post(`/api/v1/orders/${id}/approve/`).set(admin.auth)).status).toBe(200);
    }
    expect((await t.http.post(`/api/v1/orders/${delivered.id}/mark-delivered/`).set(seller.auth)).status).toBe(200);
    const invoice = await t.http.post('/api/v1/seller/invoice/').set(seller.auth).send({ order: delivered.id });
    expect(invoice.status).toBe(201);
    expect((await t.http.post(`/api/v1/invoices/${invoice.body.id}/approve/`).set(admin.auth)).status).toBe(200);
    const payment = await t.http.post('/api/v1/payments/').set(buyer.auth).send({ invoice: invoice.body.id, amount: '100.00', payment_method: 'M-Pesa' });
    expect(payment.status).toBe(201);
    f = {
      buyer,
      seller,
      admin,
      logoutSession: await login(),
      refreshSession: await login(),
      ids: { item: item.id, pending: pending.id, approved: approved.id, delivered: delivered.id, invoice: invoice.body.id, payment: payment.body.id },
    };
    before = await snapshot();
  });

  afterAll(async () => {
    await t.close();
  });

  it('starts from the expected fixtures', () => {
    expect(before.item).toMatchObject({ quantity: 16, reserved_quantity: 3, unit_price: '2500.00', weight_kg: 13 });
    const statuses = Object.fromEntries((before.orders as { items: { id: number; status: string }[] }).items.map((o) => [o.id, o.status]));
    expect(statuses).toEqual({ [f.ids.pending]: 'PENDING', [f.ids.approved]: 'APPROVED', [f.ids.delivered]: 'DELIVERED' });
    expect(before.payments).toMatchObject({ total: '1', items: [{ status: 'PENDING', amount: '100.00' }] });
    expect(before.invoices).toMatchObject({ total: '1', items: [{ is_paid: false, admin_approval: true }] });
  });

  for (const [endpoint, mutations] of FIELD_MUTATIONS) {
    describe(endpoint.name, () => {
      const cases: Case[] = [
        ...fieldCases(endpoint, mutations),
        ...emptyBodyCases(endpoint, REQUIRED[endpoint.name] ?? []),
        ...wholeBodyCases(endpoint),
      ];

      it.each(cases.map((c) => [c.title, c]))('%s', async (_title, c) => {
        const path = resolvePath(c.path ?? endpoint.path);
        const body = c.body?.(f);
        const res = await send(endpoint.method, path, endpoint.who, body, c.raw);
        const request = `${endpoint.method.toUpperCase()} ${path} ${c.raw ?? (body === undefined ? '(no body)' : JSON.stringify(body).slice(0, 200))}`;
        expectRefused(res, c, request);
      });

      it('leaves the data unchanged', async () => {
        expect(await snapshot()).toEqual(before);
      });
    });
  }

  describe('malformed path ids', () => {
    const cases = ID_ROUTES.flatMap((route) => BAD_IDS.map((id) => [`${route.method.toUpperCase()} ${route.path.replace('{id}', id)}`, route, id] as const));

    it.each(cases)('%s', async (_title, route, id) => {
      const path = route.path.replace('{id}', id);
      const res = await send(route.method, path, route.who, route.body);
      expectRefused(res, { status: 400, code: 'validation_error', fields: ['id'] }, `${route.method.toUpperCase()} ${path}`);
    });

    it.each([
      ['hexadecimal', (id: number) => `0x${id.toString(16)}`],
      ['exponent', (id: number) => `${id}e0`],
      ['leading plus', (id: number) => `+${id}`],
      ['padded with a space', (id: number) => `%20${id}`],
    ] as const)('an existing id written in another notation (%s) is refused, not resolved to the record', async (_title, spell) => {
      for (const [route, id, who] of [
        ['/api/v1/inventory/{id}/', f.ids.item, 'seller'],
        ['/api/v1/orders/{id}/', f.ids.pending, 'buyer'],
        ['/api/v1/invoices/{id}/', f.ids.invoice, 'admin'],
      ] as const) {
        const path = route.replace('{id}', spell(id));
        const res = await send('get', path, who, undefined);
        expectRefused(res, { status: 400, code: 'validation_error', fields: ['id'] }, `GET ${path}`);
      }
    });

    it('leaves the data unchanged', async () => {
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('bodies over 100 kB', () => {
    const big = (size: number) => 'z'.repeat(size);

    it.each([
      ['POST /inventory/ (seller)', 'post', ENDPOINTS.itemCreate.path, 'seller'],
      ['POST /register/ (anonymous)', 'post', ENDPOINTS.register.path, 'anon'],
      ['PATCH /orders/{id}/ (buyer)', 'patch', ENDPOINTS.orderPatch.path, 'buyer'],
      ['POST /payments/ (buyer)', 'post', ENDPOINTS.paymentCreate.path, 'buyer'],
    ] as const)('%s with a 150 kB body answers 413 payload_too_large', async (_title, method, path, who) => {
      const res = await send(method, resolvePath(path), who, { location: big(150 * 1024) });
      expectRefused(res, { status: 413, code: 'payload_too_large' }, `${method} ${path} (150 kB)`);
      expect(res.body.errors).toBeUndefined();
    });

    it('a body just over the limit (100 kB + 1 byte) is refused with 413', async () => {
      const valid = ENDPOINTS.itemCreate.valid(f);
      const skeleton = JSON.stringify({ ...valid, location: '' });
      const raw = JSON.stringify({ ...valid, location: big(100 * 1024 + 1 - skeleton.length) });
      expect(Buffer.byteLength(raw)).toBe(100 * 1024 + 1);
      const res = await send('post', ENDPOINTS.itemCreate.path, 'seller', undefined, raw);
      expectRefused(res, { status: 413, code: 'payload_too_large' }, 'POST /api/v1/inventory/ (100 kB + 1)');
    });

    it('a 90 kB body is read, and refused for its too-long field (400), not for its size', async () => {
      const res = await send('post', ENDPOINTS.itemCreate.path, 'seller', { ...ENDPOINTS.itemCreate.valid(f), location: big(90 * 1024) });
      expectRefused(res, { status: 400, code: 'validation_error', fields: ['location'] }, 'POST /api/v1/inventory/ (90 kB)');
    });

    it('leaves the data unchanged', async () => {
      expect(await snapshot()).toEqual(before);
    });
  });

  it('leaves the stock figures consistent with the orders', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });

  describe('the happy path of each endpoint still works after all that', () => {
    // Proves the valid bodies the cases were built from are accepted, so each case
    // above failed for its one broken field and not for something else.
    it('POST /inventory/ and PATCH /inventory/{id}/ accept their base bodies', async () => {
      const created = await send('post', ENDPOINTS.itemCreate.path, 'seller', ENDPOINTS.itemCreate.valid(f));
      expect(created.status).toBe(201);
      const del = await t.http.delete(`/api/v1/inventory/${created.body.id}/`).set(f.seller.auth);
      expect(del.status).toBe(204);
    });

    it('POST /register/, /login/, /brands/ accept their base bodies', async () => {
      const reg = await send('post', ENDPOINTS.register.path, 'anon', ENDPOINTS.register.valid(f));
      expect(reg.status).toBe(201);
      const login = await send('post', ENDPOINTS.login.path, 'anon', ENDPOINTS.login.valid(f));
      expect(login.status).toBe(200);
      const brand = await send('post', ENDPOINTS.brand.path, 'admin', ENDPOINTS.brand.valid(f));
      expect(brand.status).toBe(201);
    });

    it('POST /token/refresh/ and /logout/ accept their base bodies (the sessions survived the bad requests)', async () => {
      const refreshed = await send('post', ENDPOINTS.refresh.path, 'anon', ENDPOINTS.refresh.valid(f));
      expect(refreshed.status).toBe(200);
      const logout = await send('post', ENDPOINTS.logout.path, 'logoutSession', ENDPOINTS.logout.valid(f));
      expect(logout.status).toBe(204);
    });

    it('POST /orders/ and the invoice, payment and feedback endpoints accept their base bodies', async () => {
      const order = await send('post', ENDPOINTS.orderCreate.path, 'buyer', ENDPOINTS.orderCreate.valid(f));
      expect(order.status).toBe(201);
      expect((await t.http.post(`/api/v1/orders/${order.body.id}/cancel/`).set(f.buyer.auth)).status).toBe(200);
      const payment = await send('post', ENDPOINTS.paymentCreate.path, 'buyer', ENDPOINTS.paymentCreate.valid(f));
      expect(payment.status).toBe(201);
      const rating = await send('post', ENDPOINTS.feedback.path, 'buyer', ENDPOINTS.feedback.valid(f));
      expect(rating.status).toBe(201);
      const invoice = await send('post', ENDPOINTS.invoice.path, 'seller', ENDPOINTS.invoice.valid(f));
      expect(invoice.status).toBe(201);
    });
  });
});
