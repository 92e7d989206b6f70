import fc from 'fast-check';
import { findStockMismatches } from '../src/inventory/stock-verify.js';
import { createAdmin, createItem, createUser, placeOrder, stockInvariantViolations, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

/**
 * Property-based bad input, generated from the OpenAPI document: for every
 * operation, fast-check builds requests (wrong types, missing and extra
 * fields, boundary numbers, odd Unicode, malformed ids and JSON, wrong
 * content types, and well-formed bodies) and each answer must be no 5xx, a
 * 4xx in the contract's shape, and a 2xx that matches the documented schema.
 * The stock invariants must hold afterwards.
 *
 * PROPERTY_RUNS (default 20) sets the cases per operation; a failure prints
 * its seed: replay it with PROPERTY_SEED=<seed> npm test -- test/generated-input
 */
type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  $ref?: string;
  format?: string;
  allOf?: Schema[];
};
interface Operation {
  method: string;
  path: string;
  body?: Schema;
  ok?: Schema;
}

/** encodeURIComponent refuses lone surrogates; send those as the raw (invalid UTF-8) escape. */
function encodeOrRaw(text: string): string {
  try {
    return encodeURIComponent(text) || 'x';
  } catch {
    return '%ED%A0%80';
  }
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const SEED = process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED);

const oddStrings = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202Eevil', '🔥'.repeat(300), 'x'.repeat(10_000), '\uD800', "'; DROP TABLE orders; --", '%', '../../etc/passwd'),
);
const oddNumbers = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 1e308, -0),
);
const anyValue = fc.oneof(oddStrings, oddNumbers, fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));

describe('generated input against the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  let users: TestUser[];
  let ids: number[];
  let cases = 0;
  const started = Date.now();

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json')).body;
    const [admin, seller, buyer] = [await createAdmin(t), await createUser(t, 'SELLER'), await createUser(t, 'BUYER')];
    users = [admin, seller, buyer];
    const item = await createItem(t, seller, { quantity: 100 });
    const order = await placeOrder(t, buyer, item.id, 1);
    ids = [item.id, order.id, 1, 2];
  });
  afterAll(async () => {
    console.log(`generated input: ${operations().length} operations, ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    await t.close();
  });

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  function operations(): Operation[] {
    if (!doc) return [];
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          body: resolve(op.requestBody?.content?.['application/json']?.schema),
          ok: resolve((Object.entries(op.responses ?? {}) as [string, any][]).find(([code]) => code.startsWith('2'))?.[1]?.content?.['application/json']?.schema),
        })),
    );
  }

  /** The documented response shape, for the subset of JSON Schema the document uses. */
  function conforms(value: unknown, raw: Schema | undefined, at = '$'): string | undefined {
    const schema = resolve(raw);
    if (!schema) return undefined;
    if (value === null) return schema.nullable ? undefined : `${at} is null`;
    if (schema.enum && !schema.enum.includes(value)) return `${at} not in enum`;
    switch (schema.type) {
      case 'array':
        if (!Array.isArray(value)) return `${at} is not an array`;
        for (const [i, v] of value.entries()) {
          const problem = conforms(v, schema.items, `${at}[${i}]`);
          if (problem) return problem;
        }
        return undefined;
      case 'object':
      case undefined:
        if (!schema.properties) return undefined;
        if (typeof value !== 'object' || Array.isArray(value)) return `${at} is not an object`;
        for (const name of schema.required ?? []) if (!(name in value)) return `${at}.${name} is missing`;
        for (const [name, sub] of Object.entries(schema.properties)) {
          if (name in value) {
            const problem = conforms((value as Record<string, unknown>)[name], sub, `${at}.${name}`);
            if (problem) return problem;
          }
        }
        return undefined;
      case 'string':
        if (typeof value !== 'string') return `${at} is not a string`;
        return schema.format === 'date-time' && !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value) ? `${at} is not a UTC date-time` : undefined;
      case 'integer':
        return Number.isInteger(value) ? undefined : `${at} is not an integer`;
      case 'number':
        return typeof value === 'number' ? undefined : `${at} is not a number`;
      case 'boolean':
        return typeof value === 'boolean' ? undefined : `${at} is not a boolean`;
      default:
        return undefined;
    }
  }

  /** A body shaped like the documented one, each field valid-looking or broken, fields dropped or added. */
  const bodyFor = (schema: Schema | undefined) => {
    const props = Object.entries(schema?.properties ?? {});
    const field = (s: Schema) => {
      const r = resolve(s) ?? {};
      const plausible =
        r.enum ? fc.constantFrom(...r.enum)
        : r.type === 'integer' ? fc.oneof(fc.constantFrom(...ids), fc.integer({ min: -5, max: 200 }))
        : r.type === 'number' ? fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 100, noNaN: true }))
        : r.type === 'boolean' ? fc.boolean()
        : fc.oneof(fc.constantFrom('JIBU', '12.50', 'Nairobi', '+254700000000', 'M-Pesa'), fc.string({ maxLength: 20 }));
      return fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: anyValue });
    };
    const shaped = fc.record(Object.fromEntries(props.map(([name, s]) => [name, field(s)])), { requiredKeys: [] });
    return fc.oneof(
      { weight: 4, arbitrary: fc.tuple(shaped, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyValue, { maxKeys: 1 })).map(([a, b]) => ({ ...a, ...b })) },
      { weight: 3, arbitrary: shaped },
      { weight: 1, arbitrary: anyValue },
    );
  };

  const pathIds = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...[1, 2, 3, 4].map(String)) },
    { weight: 2, arbitrary: fc.constantFrom('abc', '-1', '0', '1.5', '99999999999', '0x1F', '1e3', '%00', '%F0%9F%94%A5', "1'") },
    { weight: 1, arbitrary: oddStrings.map(encodeOrRaw) },
  );

  const payloads = fc.oneof(
    { weight: 6, arbitrary: fc.constant('json' as const) },
    { weight: 1, arbitrary: fc.constantFrom('broken-json' as const, 'text' as const, 'form' as const) },
  );

  it('has operations to test', () => {
    expect(operations().length).toBeGreaterThan(40);
  });

  it('answers every generated request with no 5xx, the error shape, or the documented schema', async () => {
    for (const op of operations()) {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: users.length }), pathIds, bodyFor(op.body), payloads, async (who, id, body, payload) => {
          cases += 1;
          const url = op.path.replace('{id}', id);
          let req = (t.http as any)[op.method.toLowerCase()](url);
          if (who < users.length) req = req.set(users[who].auth);
          if (op.body || op.method !== 'GET') {
            if (payload === 'json') req = req.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
            if (payload === 'broken-json') req = req.set('Content-Type', 'application/json').send('{"quantity": 1,');
            if (payload === 'text') req = req.set('Content-Type', 'text/plain').send(JSON.stringify(body));
            if (payload === 'form') req = req.type('form').send('quantity=1&status=APPROVED');
          }
          const res = await req;
          const where = `${op.method} ${url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect([where, res.status < 500]).toEqual([where, true]);
          if (res.status >= 400) {
            expect([where, typeof res.body.detail, typeof res.body.code]).toEqual([where, 'string', 'string']);
            if (res.body.errors !== undefined) {
              for (const messages of Object.values(res.body.errors)) {
                expect([where, Array.isArray(messages) && (messages as unknown[]).every((m) => typeof m === 'string')]).toEqual([where, true]);
              }
            }
            expect([where, /at .+\.(ts|js):\d+|QueryFailedError|SELECT |INSERT |\/work\//.test(JSON.stringify(res.body))]).toEqual([where, false]);
          } else if (res.status < 300 && res.status !== 204 && op.ok) {
            expect([where, conforms(res.body, op.ok)]).toEqual([where, undefined]);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
  }, 600_000);

  it('leaves the stock figures right', async () => {
    expect(await findStockMismatches(t.db)).toEqual([]);
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
