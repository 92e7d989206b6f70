import fc, { type Arbitrary } from 'fast-check';
import type { Operation, Role, Schema } from './openapi.js';

/**
 * Generated requests for one OpenAPI operation: well-formed ones built from
 * the documented schemas (with real ids and a token of an allowed role), and
 * broken ones derived from them (wrong types, missing and unknown fields,
 * boundary numbers, odd Unicode, malformed ids, JSON and content types,
 * bad query values, bad credentials).
 */

/** The fixture users that make requests; `session<n>` are extra logins used for refresh and logout. */
export type Who = 'admin' | 'seller' | 'seller2' | 'buyer' | 'buyer2' | `session${number}`;

/** What the API must answer: `valid` 2xx or a documented non-400 4xx; `reject` a 4xx (exactly `statuses` when given); `any` no 5xx. */
export type Expectation = 'valid' | 'reject' | 'any';

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType: string; text: string }
  | { kind: 'multipart'; fields: [string, string][] };

export type Auth = { who: Who } | { header: string } | null;

export interface Case {
  label: string;
  /** The field the case breaks (body field, query parameter or `id`): a 400 must then name fields in `errors`. */
  field?: string;
  expect: Expectation;
  statuses?: number[];
  auth: Auth;
  /** The path `{id}`, percent-encoded. */
  id?: string;
  /** Raw query pairs (encoded when sent). */
  query: [string, string][];
  headers: Record<string, string>;
  body: Body;
}

/** Real ids and credentials created by the suite's fixtures. */
export interface Pools {
  users: number[];
  /** Users that may be deactivated or have their role changed (never the ones making requests). */
  targets: number[];
  sellers: number[];
  items: number[];
  orders: number[];
  invoices: number[];
  payments: number[];
  ratings: number[];
  brands: string[];
  logins: string[];
  password: string;
  sessions: { who: Who; refresh: string }[];
}

/** A number written literally into the JSON text (`1e999`, `-0`, 20-digit integers): JSON.stringify cannot. */
export class RawNumber {
  constructor(readonly literal: string) {}
  get value(): number {
    return JSON.parse(this.literal) as number;
  }
  toJSON(): string {
    return `\u0000raw:${this.literal}\u0000`;
  }
}

export function serialize(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"\\]+)\\u0000"/g, '$1');
}

const NOT_FOUND_ID = 2_147_483_647;
const ROLE_USERS: Record<Role, Who[]> = {
  ADMIN: ['admin'],
  // Owners twice: most valid requests should be able to succeed.
  SELLER: ['seller', 'seller', 'seller2'],
  BUYER: ['buyer', 'buyer', 'buyer2'],
};

/** Fields whose documented type is `number` but whose values are integers (ids, counts, pages). */
const INTEGER_FIELDS = new Set(['id', 'gas_inventory', 'order', 'invoice', 'quantity', 'rating', 'page', 'page_size', 'seller', 'actor', 'object_id']);
/** Money: a number or numeric string with two decimals at most (contract, and the schema descriptions). */
const MONEY_FIELDS = new Set(['unit_price', 'amount', 'min_price', 'max_price']);
/** Strings with a format of their own (pattern, token, reference): odd values of these may be refused. */
const PATTERNED_FIELDS = new Set(['username', 'email', 'password', 'phone_number', 'contact_phone', 'brand', 'code', 'refresh', 'weight']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const codePoints = (text: string) => [...text].length;

/** encodeURIComponent, except that lone surrogates become the (invalid UTF-8) bytes of a surrogate. */
export function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}

// ---------------------------------------------------------------- valid values

const text = (max: number) =>
  fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: Math.max(1, Math.min(max, 40)) }).filter((s) => s.trim().length > 0);
const suffix = fc.stringMatching(/^[a-z0-9]{10}$/);
const money = (minCents: number, maxCents: number) =>
  fc.tuple(fc.integer({ min: minCents, max: maxCents }), fc.boolean()).map(([cents, asNumber]) => (asNumber ? cents / 100 : (cents / 100).toFixed(2)));
const phone = fc.stringMatching(/^\+?[1-9]\d{8,13}$/);
const dateTime = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

function idsOf(pool: number[]): Arbitrary<number> {
  return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.constant(NOT_FOUND_ID) });
}

/** A valid value for a body field or query parameter, from its schema and, for formats the schema only describes, its name. */
function validValue(op: Operation, name: string, schema: Schema, pools: Pools): Arbitrary<unknown> {
  const onOrders = op.path.includes('/orders') || op.path.includes('/feedback');
  switch (name) {
    case 'gas_inventory':
      return idsOf(pools.items);
    case 'order':
      return idsOf(pools.orders);
    case 'invoice':
      return idsOf(pools.invoices);
    case 'seller':
      return idsOf(pools.sellers);
    case 'actor':
      return idsOf(pools.users);
    case 'object_id':
      return idsOf([...pools.orders, ...pools.items, ...pools.invoices]);
    case 'quantity':
      return fc.integer({ min: schema.minimum ?? 1, max: onOrders ? 5 : 300 });
    case 'rating':
      return fc.integer({ min: schema.minimum ?? 1, max: schema.maximum ?? 5 });
    case 'page':
      return fc.integer({ min: 1, max: 3 });
    case 'page_size':
      return fc.integer({ min: 1, max: schema.maximum ?? 200 });
    case 'weight_kg':
      return fc.integer({ min: 10, max: 1000 }).map((tenths) => tenths / 10);
    case 'weight':
      return fc.constantFrom('13', '6', '6.0', '12.5', '12.5kg', '6 KG');
    case 'unit_price':
      return money(100, 500_000);
    case 'amount':
      return money(1, 1_000);
    case 'min_price':
    case 'max_price':
      return money(0, 500_000).map(String);
    case 'brand':
      return fc.mixedCase(fc.constantFrom(...pools.brands));
    case 'code':
      return fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), suffix).map(([a, b]) => `${a}${b}`.slice(0, 20));
    case 'username':
      return op.path.endsWith('/login')
        ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pools.logins) }, { weight: 1, arbitrary: text(40) })
        : fc.tuple(fc.stringMatching(/^[\w.@+-]{1,20}$/), suffix).map(([a, b]) => `${a}${b}`);
    case 'email':
      return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), suffix).map(([a, b]) => `${a}.${b}@example.com`);
    case 'password':
      return op.path.endsWith('/login')
        ? fc.oneof({ weight: 4, arbitrary: fc.constant(pools.password) }, { weight: 1, arbitrary: text(40) })
        : fc.string({ minLength: schema.minLength ?? 8, maxLength: 40 });
    case 'phone_number':
    case 'contact_phone':
      return phone;
    case 'refresh':
      return fc.constantFrom(...pools.sessions.map((s) => s.refresh));
    case 'since':
    case 'until':
      return dateTime;
  }
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 1, max: schema.maximum ?? 100 });
    default:
      return schema.format === 'date-time' ? dateTime : text(schema.maxLength ?? 40);
  }
}

function validBody(op: Operation, pools: Pools): Arbitrary<Record<string, unknown>> {
  const schema = op.body!;
  const props = Object.entries(schema.properties ?? {});
  const model = Object.fromEntries(props.map(([name, prop]) => [name, validValue(op, name, prop, pools)]));
  return fc.record(model, { requiredKeys: schema.required ?? [] }) as Arbitrary<Record<string, unknown>>;
}

function validQuery(op: Operation, pools: Pools): Arbitrary<[string, string][]> {
  if (op.queryParams.length === 0) return fc.constant([]);
  const model = Object.fromEntries(op.queryParams.map((p) => [p.name, validValue(op, p.name, p.schema, pools).map(String)]));
  return fc.record(model, { requiredKeys: op.queryParams.filter((p) => p.required).map((p) => p.name) }).map((q) => Object.entries(q) as [string, string][]);
}

function validHeaders(op: Operation): Arbitrary<Record<string, string>> {
  const model: Record<string, Arbitrary<string>> = {};
  for (const header of op.headerParams) {
    if (header.name === 'Idempotency-Key') model[header.name] = fc.uuid();
    // A stale or foreign ETag is a documented 412; `*` matches anything.
    else if (header.name === 'If-Match') model[header.name] = fc.constantFrom('*', '"0.0"', 'W/"1.1"');
    else model[header.name] = fc.string({ minLength: 1, maxLength: 20 });
  }
  return fc.record(model, { requiredKeys: [] }) as Arbitrary<Record<string, string>>;
}

function resourcePool(op: Operation, pools: Pools): number[] {
  const segment = /\/([a-z_]+)\/\{id\}/.exec(op.path)?.[1];
  switch (segment) {
    case 'profiles':
      return op.method === 'get' ? pools.users : pools.targets;
    case 'inventory':
      return pools.items;
    case 'orders':
      return pools.orders;
    case 'invoices':
      return pools.invoices;
    case 'payments':
      return pools.payments;
    case 'ratings':
      return pools.ratings;
    default:
      throw new Error(`No id pool for ${op.key}`);
  }
}

function whoFor(op: Operation, pools: Pools): Arbitrary<Who | null> {
  if (op.path.endsWith('/logout')) return fc.constantFrom(...pools.sessions.map((s) => s.who));
  if (op.path.endsWith('/register')) return fc.constantFrom<Who | null>(null, null, 'admin', 'buyer');
  if (!op.secured) return fc.constant(null);
  return fc.constantFrom(...op.roles.flatMap((role) => ROLE_USERS[role]));
}

interface Base {
  who: Who | null;
  id?: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function baseRequest(op: Operation, pools: Pools): Arbitrary<Base> {
  const hasId = op.pathParams.some((p) => p.name === 'id');
  return fc
    .record({
      who: whoFor(op, pools),
      id: hasId ? idsOf(resourcePool(op, pools)).map(String) : fc.constant(undefined),
      query: validQuery(op, pools),
      headers: validHeaders(op),
      body: op.body ? validBody(op, pools) : fc.constant(undefined),
    })
    .map((base) => {
      const body = base.body;
      if (body && op.path.endsWith('/register')) {
        // ADMIN only when the caller is an admin (the field's description).
        if (body.role === 'ADMIN' && base.who !== 'admin') body.role = 'BUYER';
        if (typeof body.password === 'string' && [body.username, body.email].some((v) => typeof v === 'string' && v.toLowerCase() === (body.password as string).toLowerCase())) {
          body.password = `${body.password}-not-the-name`;
        }
      }
      return base;
    });
}

// ---------------------------------------------------------------- broken values

type Verdict = Expectation;

/** Whether a generated number is valid for a field, by its schema and (for integers and weights) the contract. */
function numberVerdict(name: string, schema: Schema, value: number): Verdict {
  if (!Number.isFinite(value)) return 'reject';
  if (INTEGER_FIELDS.has(name) && !Number.isInteger(value)) return 'reject';
  if (schema.minimum !== undefined && value < schema.minimum) return 'reject';
  if (schema.maximum !== undefined && value > schema.maximum) return name === 'page_size' ? 'any' : 'reject';
  if (name === 'weight_kg' && !/^\d+(\.\d)?$/.test(String(value))) return String(value).includes('e') ? 'any' : 'reject';
  // Ids that exist nowhere, units beyond any stock, sizes past the documented ones: 2xx, 404, 409 or 400.
  return 'any';
}

function moneyVerdict(value: unknown): Verdict {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return 'reject';
    if (!/^\d+(\.\d{1,2})?$/.test(String(value))) return String(value).includes('e+') ? 'any' : 'reject';
    return 'any';
  }
  if (typeof value !== 'string') return 'reject';
  if (/^\d+(\.\d{1,2})?$/.test(value)) return 'any';
  if (/^\s*-/.test(value) || /^\s*\d*\.\d{3,}\s*$/.test(value)) return 'reject';
  if (/^\s*(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return 'any';
  return 'reject';
}

function stringVerdict(name: string, schema: Schema, value: string): Verdict {
  if (LONE_SURROGATE.test(value)) return 'reject';
  const length = codePoints(value);
  // Over the documented length; unless only surrounding white space is over, which the API trims.
  if (schema.maxLength !== undefined && length > schema.maxLength) return codePoints(value.trim()) <= schema.maxLength ? 'any' : 'reject';
  if (schema.minLength !== undefined && length < schema.minLength) return 'reject';
  if (schema.enum) return schema.enum.includes(value) ? 'valid' : 'reject';
  if (PATTERNED_FIELDS.has(name) || value.includes('\u0000') || value.trim() === '') return 'any';
  // Free text within the documented length (or 100 characters when none is documented) must be accepted.
  return schema.maxLength !== undefined || length <= 100 ? 'valid' : 'any';
}

const RAW_NUMBERS = ['1e999', '-1e999', '-0', '1.0', '1E1', '12345678901234567890', '0.1e1', '1e-400', '2.50'];
const boundaryNumbers: Arbitrary<number | RawNumber> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 5, 6, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 0.5, 1.5, 2.25, 12.05, 0.1 + 0.2, 5e-324, 1e-7, 1e21),
  fc.constantFrom(...RAW_NUMBERS).map((literal) => new RawNumber(literal)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const boundaryMoney: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('0', '0.00', '0.01', '-1', '-0.01', '1.005', '1e3', ' 12.50 ', '12.5', '.5', '5.', '1,000.00', 'NaN', 'Infinity', '', 'abc'),
  fc.constantFrom('99999999999.99', '9999999999.99', '0x10', '\u0661\u0662', '12.50\u0000', '+5', '00012.00'),
  fc.constantFrom(0, -1, 0.001, 1e308, 12.345, 5e-324, 0.1 + 0.2, 2 ** 53 + 2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const ODD_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\uFEFFbom',
  '\u202Egnp.exe',
  'مرحبا بالعالم',
  'שלום',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈🇰🇪',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDFFF',
  "'; DROP TABLE orders; --",
  '%s%n%x',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  'NULL',
  'null',
  '\\',
  '"',
];
const LONG_UNITS = ['x', '🔥', 'é', 'ي', '\u0000', ' '];

function oddString(schema: Schema): Arbitrary<string> {
  const lengths = [schema.maxLength, schema.maxLength === undefined ? undefined : schema.maxLength + 1, 10_000].filter((n): n is number => n !== undefined);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...LONG_UNITS), fc.constantFrom(...lengths)).map(([unit, n]) => unit.repeat(n)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\uD800', '\uDC00', 'a', '\u0000', '🔥'), maxLength: 10 }) },
  );
}

function wrongTypeValues(name: string, schema: Schema): unknown[] {
  const containers = [[], {}, [1], { a: 'b' }];
  if (MONEY_FIELDS.has(name)) return [true, false, null, ...containers];
  if (schema.enum) return [1, true, null, 'bogus', String(schema.enum[0]).toLowerCase(), ` ${String(schema.enum[0])}`, ...containers];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return ['1', '12', 'NaN', 'abc', '', true, null, ...containers];
    case 'boolean':
      return ['true', 'false', 1, 0, 'yes', null, ...containers];
    default:
      return [1, 0, 1.5, true, null, ...containers];
  }
}

/** Server-owned fields a client must not set, and names every object inherits. */
const EXTRA_FIELDS = ['status', 'total_price', 'seller', 'role', 'id', 'is_admin', 'is_active', 'reserved_quantity', 'buyer', 'user_id', 'constructor', 'prototype', 'toString', 'valueOf'];
const BAD_IDS = [
  'abc', '-1', '0', '00', '1.5', '1.0', '2147483648', '99999999999', '9'.repeat(400), '1e3', '0x1F', '+1', '%201', '1%20', '%00', '1%00',
  '%F0%9F%94%A5', '%E2%80%AE1', '%D9%A1', '%EF%BC%91', '%ED%A0%80', '%C0%AE', 'NaN', 'null', 'undefined', 'true', '%5B%5D', '%7B%7D', '1%2C2', '1;2', "1'",
  '%', '%zz', '%E0%A4%A', '1%2F2',
];
/** Static routes under an `{id}` path: a generated id that equals one reaches another endpoint. */
const STATIC_SEGMENTS = new Set(['me', 'my_orders', 'pending', '.', '..']);
const INVALID_JSON = ['{', '{"a":', "{'quantity': 1}", '{"quantity": 1,}', 'NaN', '{"a":1}{"b":2}', '\u0000', '{"a":"\\uZZZZ"}', 'undefined', '<x/>', '{"a": 01}', '[1,]', '\uFEFF{}{'];

function label(kind: string, detail?: string): string {
  return detail === undefined ? kind : `${kind}: ${detail}`;
}

function makeCase(base: Base, changes: Partial<Case> & { label: string; expect: Expectation }): Case {
  const json: Body = base.body === undefined ? { kind: 'none' } : { kind: 'json', value: base.body };
  return {
    auth: base.who === null ? null : { who: base.who },
    id: base.id,
    query: base.query,
    headers: base.headers,
    body: json,
    ...changes,
  };
}

/** The statuses a broken request must get: the caller of a broken case may call the operation, so validation answers (400). */
const strict = (statuses: number[] = [400]) => ({ statuses });

function withField(body: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutField(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[name];
  return copy;
}


/** Every kind of request for `op`, weighted; each is built from a valid base request. */
export function requestsFor(op: Operation, pools: Pools): Arbitrary<Case> {
  const base = baseRequest(op, pools);
  const props = Object.entries(op.body?.properties ?? {});
  const required = op.body?.required ?? [];
  const arbs: { weight: number; arbitrary: Arbitrary<Case> }[] = [];
  const add = (weight: number, arbitrary: Arbitrary<Case>) => arbs.push({ weight: Math.round(weight * 2), arbitrary });

  add(10, base.map((b) => makeCase(b, { label: 'valid', expect: 'valid' })));

  if (op.body && props.length > 0) {
    const field = fc.constantFrom(...props);
    add(
      3,
      fc
        .tuple(
          base,
          field.chain(([name, schema]) =>
            fc.tuple(fc.constant(name), fc.constantFrom(...wrongTypeValues(name, schema).filter((v) => v !== null || required.includes(name)))),
          ),
        )
        .map(([b, [name, value]]) =>
          makeCase(b, { field: name, label: label('wrong type', `${name} = ${JSON.stringify(value)}`), expect: 'reject', ...strict(), body: { kind: 'json', value: withField(b.body!, name, value) } }),
        ),
    );
    if (required.length > 0) {
      add(
        2,
        fc.tuple(base, fc.constantFrom(...required)).map(([b, name]) =>
          makeCase(b, { field: name, label: label('missing required field', name), expect: 'reject', ...strict(), body: { kind: 'json', value: withoutField(b.body!, name) } }),
        ),
      );
    }
    const extraName = fc.oneof(fc.constantFrom(...EXTRA_FIELDS), fc.string({ minLength: 1, maxLength: 12 })).filter((n) => n !== '__proto__' && !props.some(([p]) => p === n)); // a __proto__ set on the case's object would set its prototype, not add a field (bad-input sends it as raw JSON)
    add(
      2,
      fc.tuple(base, extraName, fc.jsonValue({ maxDepth: 1 })).map(([b, name, value]) =>
        makeCase(b, { field: name, label: label('unknown field', name), expect: 'reject', ...strict(), body: { kind: 'json', value: withField(b.body!, name, value) } }),
      ),
    );
    const numeric = props.filter(([name, s]) => (s.type === 'number' || s.type === 'integer') && !MONEY_FIELDS.has(name));
    if (numeric.length > 0) {
      add(
        3,
        fc.tuple(base, fc.constantFrom(...numeric), boundaryNumbers).map(([b, [name, schema], value]) => {
          const n = value instanceof RawNumber ? value.value : value;
          const verdict = numberVerdict(name, schema, n);
          return makeCase(b, {
            field: name,
            label: label('boundary number', `${name} = ${value instanceof RawNumber ? value.literal : String(value)}`),
            expect: verdict,
            ...(verdict === 'reject' ? strict() : {}),
            body: { kind: 'json', value: withField(b.body!, name, value) },
          });
        }),
      );
    }
    const moneyProps = props.filter(([name]) => MONEY_FIELDS.has(name));
    if (moneyProps.length > 0) {
      add(
        2,
        fc.tuple(base, fc.constantFrom(...moneyProps), boundaryMoney).map(([b, [name], value]) => {
          const verdict = moneyVerdict(value);
          return makeCase(b, {
            field: name,
            label: label('boundary money', `${name} = ${JSON.stringify(value)}`),
            expect: verdict,
            ...(verdict === 'reject' ? strict() : {}),
            body: { kind: 'json', value: withField(b.body!, name, value) },
          });
        }),
      );
    }
    const strings = props.filter(([name, s]) => s.type === 'string' && !MONEY_FIELDS.has(name));
    if (strings.length > 0) {
      add(
        4,
        fc.tuple(base, fc.constantFrom(...strings).chain(([name, schema]) => fc.tuple(fc.constant(name), fc.constant(schema), oddString(schema)))).map(([b, [name, schema, value]]) => {
          const verdict = stringVerdict(name, schema, value);
          const shown = value.length > 40 ? `${JSON.stringify(value.slice(0, 12))}… (${value.length} UTF-16 units)` : JSON.stringify(value);
          return makeCase(b, {
            field: name,
            label: label('odd string', `${name} = ${shown}`),
            expect: verdict,
            ...(verdict === 'reject' ? strict() : {}),
            body: { kind: 'json', value: withField(b.body!, name, value) },
          });
        }),
      );
    }
    // No request field is nullable: null for a required one is refused; for an optional one
    // the API may refuse it or take it as "not given".
    add(
      1,
      fc.tuple(base, fc.constantFrom(...props)).map(([b, [name]]) => {
        const verdict: Verdict = required.includes(name) ? 'reject' : 'any';
        return makeCase(b, { field: name, label: label('null', name), expect: verdict, ...(verdict === 'reject' ? strict() : {}), body: { kind: 'json', value: withField(b.body!, name, null) } });
      }),
    );
  }

  // The body as a whole: not an object, not JSON, another content type, too large.
  add(
    1,
    fc.tuple(base, fc.constantFrom('[]', '[{}]', '"text"', '42', 'null', 'true', '[1,2]')).map(([b, textBody]) =>
      makeCase(b, {
        label: label('body is not an object', textBody),
        expect: op.body ? 'reject' : 'any',
        ...(op.body ? strict() : {}),
        body: { kind: 'raw', contentType: 'application/json', text: textBody },
      }),
    ),
  );
  add(
    2,
    fc.tuple(base, fc.constantFrom(...INVALID_JSON)).map(([b, textBody]) =>
      makeCase(b, { label: label('invalid JSON', JSON.stringify(textBody)), expect: 'reject', statuses: [400], body: { kind: 'raw', contentType: 'application/json', text: textBody } }),
    ),
  );
  const contentTypes = fc.constantFrom(
    'text/plain',
    'application/xml',
    'multipart/form-data',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/merge-patch+json',
  );
  add(
    2,
    fc.tuple(base, contentTypes).map(([b, contentType]) => {
      const value = b.body ?? { quantity: 1, status: 'APPROVED' };
      const strings = Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]);
      const unparsed = (required.length > 0 ? 'reject' : 'any') as Verdict;
      switch (contentType) {
        case 'multipart/form-data':
          return makeCase(b, { label: label('content type', contentType), expect: unparsed, ...(unparsed === 'reject' ? strict() : {}), body: { kind: 'multipart', fields: strings } });
        case 'application/x-www-form-urlencoded': {
          // Form fields are strings: fine for string fields, wrong for numbers and booleans.
          const typed = required.some((name) => {
            const s = op.body!.properties?.[name];
            return !MONEY_FIELDS.has(name) && s?.type !== 'string';
          });
          return makeCase(b, {
            label: label('content type', contentType),
            expect: typed ? 'reject' : 'any',
            ...(typed ? strict() : {}),
            body: { kind: 'raw', contentType, text: new URLSearchParams(strings).toString() },
          });
        }
        case 'application/json; charset=latin1':
          // body-parser reads JSON in UTF-8/16/32 only.
          return makeCase(b, { label: label('content type', contentType), expect: 'reject', statuses: [415], body: { kind: 'raw', contentType, text: serialize(value) } });
        case 'application/json; charset=utf-16':
          // UTF-8 bytes read as UTF-16 are not JSON.
          return makeCase(b, { label: label('content type', `${contentType} (UTF-8 bytes)`), expect: 'reject', statuses: [400], body: { kind: 'raw', contentType, text: serialize(value) } });
        case 'application/merge-patch+json':
          return makeCase(b, { label: label('content type', contentType), expect: 'any', body: { kind: 'raw', contentType, text: serialize(value) } });
        default:
          return makeCase(b, { label: label('content type', contentType), expect: unparsed, ...(unparsed === 'reject' ? strict() : {}), body: { kind: 'raw', contentType, text: serialize(value) } });
      }
    }),
  );
  add(
    0.5,
    base.map((b) =>
      makeCase(b, { label: 'body over the size limit', expect: 'reject', statuses: [413], body: { kind: 'raw', contentType: 'application/json', text: serialize({ ...(b.body ?? {}), padding: 'x'.repeat(150 * 1024) }) } }),
    ),
  );

  // Path ids that are not positive 32-bit integers.
  if (op.pathParams.some((p) => p.name === 'id')) {
    const generated = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 12 })
      .map(encode)
      .filter((id) => !/^\d{1,10}$/.test(decodeURIComponentSafe(id)) && !STATIC_SEGMENTS.has(id));
    add(
      3,
      fc.tuple(base, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...BAD_IDS) }, { weight: 1, arbitrary: generated })).map(([b, id]) =>
        makeCase(b, { field: 'id', label: label('malformed path id', id.length > 40 ? `${id.slice(0, 20)}… (${id.length} chars)` : id), expect: 'reject', ...strict(), id }),
      ),
    );
  }

  // Query parameters: out of range, wrong type, not in the enum, not a date; unknown and repeated ones.
  if (op.queryParams.length > 0) {
    const badQuery = fc.constantFrom(...op.queryParams).chain((param) => {
      const s = param.schema;
      const numeric = s.type === 'number' || s.type === 'integer';
      const values: [string, Verdict][] = numeric
        ? [
            ['0', (s.minimum ?? 0) > 0 ? 'reject' : 'any'],
            ['-1', (s.minimum ?? -2) > -1 ? 'reject' : 'any'],
            ['abc', 'reject'],
            ['NaN', 'reject'],
            // page_size: "values above 200 are clamped to 200".
            ['Infinity', param.name === 'page_size' ? 'any' : 'reject'],
            ['1.5', INTEGER_FIELDS.has(param.name) ? 'reject' : 'any'],
            ['1e308', 'any'],
            ['2147483648', 'any'],
            ['99999999999999999999', 'any'],
            ['', 'any'],
            ['0x10', 'any'],
            [' 1', 'any'],
            ['201', 'any'],
          ]
        : s.enum
          ? [
              ['BOGUS', 'reject'],
              [String(s.enum[0]).toLowerCase() === String(s.enum[0]) ? `${String(s.enum[0])}x` : String(s.enum[0]).toLowerCase(), 'reject'],
              ['', 'any'],
              ['\u0000', 'reject'],
            ]
          : s.format === 'date-time'
            ? [
                ['yesterday', 'reject'],
                ['2024-13-45T00:00:00Z', 'reject'],
                ['', 'any'],
                ['1e308', 'any'],
                ['2024-02-30T00:00:00Z', 'any'],
              ]
            : [
                ['x'.repeat(10_000), 'any'],
                ['\u0000', 'any'],
                ['%', 'any'],
                ['\uD800', 'any'],
                ['🔥', 'any'],
                ["' OR 1=1 --", 'any'],
                ['', 'any'],
                ['-1', 'any'],
                ['abc', 'any'],
              ];
      return fc.tuple(fc.constant(param.name), fc.constantFrom(...values));
    });
    add(
      3,
      fc.tuple(base, badQuery).map(([b, [name, [value, verdict]]]) =>
        makeCase(b, {
          field: name,
          label: label('query value', `${name}=${value.length > 40 ? `${value.slice(0, 10)}… (${value.length} chars)` : JSON.stringify(value)}`),
          expect: verdict,
          ...(verdict === 'reject' ? strict() : {}),
          query: [...b.query.filter(([k]) => k !== name), [name, value]],
        }),
      ),
    );
    add(
      1,
      fc.tuple(base, fc.constantFrom(...op.queryParams), fc.constantFrom('repeated', 'bracketed', 'unknown')).map(([b, param, how]) => {
        const query: [string, string][] =
          how === 'repeated'
            ? [...b.query, [param.name, '1'], [param.name, '2']]
            : how === 'bracketed'
              ? [...b.query, [`${param.name}[a]`, '1']]
              : [...b.query, ['utm_source', 'x'], ['_', '123']];
        return makeCase(b, { label: label('query shape', `${how} ${param.name}`), expect: how === 'unknown' ? 'valid' : 'any', query });
      }),
    );
  }

  // Credentials: none, malformed, tampered, or a role the operation does not allow.
  if (op.secured && !op.path.endsWith('/logout')) {
    const badHeaders = fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer abc', 'Bearer a.b.c', 'Basic YWRtaW46YWRtaW4=', 'Token x', 'Bearer \u00e9');
    add(
      1,
      fc.tuple(base, badHeaders).map(([b, header]) =>
        makeCase(b, { label: label('bad credentials', JSON.stringify(header)), expect: 'reject', statuses: [401], auth: header === '' ? null : { header } }),
      ),
    );
    const others = (['ADMIN', 'SELLER', 'BUYER'] as Role[]).filter((r) => !op.roles.includes(r));
    if (others.length > 0) {
      add(
        1,
        fc.tuple(base, fc.constantFrom(...others.flatMap((r) => ROLE_USERS[r]))).map(([b, who]) =>
          makeCase(b, { label: label('role not allowed', who), expect: 'reject', statuses: [403], auth: { who } }),
        ),
      );
    }
  }

  return fc.limitShrink(fc.oneof(...arbs), 40).map(withToString);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function short(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 30)}… (${value.length} UTF-16 units)` : value;
  if (value instanceof RawNumber) return `<raw ${value.literal}>`;
  if (Array.isArray(value)) return value.map(short);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: short((value as Record<string, unknown>)[key]), enumerable: true });
    return out;
  }
  return value;
}

/** A compact, printable form of a case (long strings shortened), used in fast-check's counterexample report. */
export function describeCase(c: Case): string {
  return JSON.stringify(short({ ...c }));
}

function withToString(c: Case): Case {
  Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
  return c;
}
