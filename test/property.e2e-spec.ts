import fc from 'fast-check';
import type { Response } from 'supertest';
import { findStockMismatches } from '../src/inventory/stock-verify.js';
import { createAdmin, createItem, createUser, PASSWORD, placeOrder, stockInvariantViolations, TestUser } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';
import { conformance, operationsOf, type OpenApiDocument, type Operation } from './property/openapi.js';
import { describeCase, encode, requestsFor, serialize, type Case, type Pools, type Who } from './property/requests.js';

/**
 * Issue 3, "Bad input, generated": for every operation of the OpenAPI document,
 * fast-check generates valid requests (documented body, real ids, a token of a
 * role allowed to call it) and broken ones (wrong types, missing and unknown
 * fields, boundary numbers, odd and long Unicode, malformed ids, invalid JSON,
 * other content types, bad query values, bad credentials). Every answer must be:
 *
 * - never a 5xx;
 * - for a broken request, a 4xx in the contract's shape `{detail, code, errors?}`
 *   (exactly 400 validation_error when the caller may call the operation);
 * - for a valid request, a documented 2xx whose body matches the documented
 *   schema, or a documented 4xx other than 400 that the state makes legitimate;
 *
 * and afterwards the stock figures must agree with the ledger and the orders.
 *
 * PROPERTY_RUNS (default 25) cases per operation. PROPERTY_SEED replays a run;
 * a failure prints the exact command (with PROPERTY_ONLY and PROPERTY_PATH to
 * replay just the failing operation's counterexample).
 */

const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);
const SEED = process.env.PROPERTY_SEED !== undefined ? Number(process.env.PROPERTY_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
const ONLY = process.env.PROPERTY_ONLY;
const PATH = process.env.PROPERTY_PATH;
const SESSIONS = 6;

/** The error code the contract gives each status. */
const CODES: Record<number, string[]> = {
  400: ['validation_error'],
  401: ['not_authenticated'],
  403: ['permission_denied'],
  404: ['not_found'],
  409: ['invalid_transition', 'insufficient_stock', 'already_exists', 'in_use', 'limit_exceeded', 'idempotency_key_reused', 'conflict'],
  412: ['precondition_failed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  429: ['throttled'],
};
/** A stack frame, a source path, SQL or a driver error in a response body. */
const LEAK = /\bat \S+ \(|\.(ts|js):\d+|node_modules|\/work\/|QueryFailedError|TypeORM|syntax error at|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|duplicate key|violates .* constraint/i;

/**
 * Reads first, then creations, edits, deletions, and the state transitions (POST on an `{id}`)
 * last, so that each finds objects in a state it can act on. Objects created by valid POSTs
 * join the id pools of the operations that run after them.
 */
function phase(op: Operation): number {
  if (op.method === 'get') return 0;
  if (op.method === 'post') return op.path.includes('{id}') ? 4 : 1;
  return op.method === 'delete' ? 3 : 2;
}
const CREATED: Record<string, keyof Pools> = {
  '/api/v1/inventory': 'items',
  '/api/v1/orders': 'orders',
  '/api/v1/seller/invoice': 'invoices',
  '/api/v1/payments': 'payments',
  '/api/v1/feedback': 'ratings',
};

class PropertyFailure extends Error {}

describe('generated requests for every OpenAPI operation (property-based)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let operations: Operation[];
  let pools: Pools;
  const tokens = new Map<Who, string>();
  let cases = 0;
  const succeeded = new Set<string>();
  const undocumented = new Set<string>();

  async function ok(res: Promise<Response> | Response, status: number): Promise<Response> {
    const r = await res;
    if (r.status !== status) throw new Error(`fixture: expected ${status}, got ${r.status} ${r.text}`);
    return r;
  }

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await ok(t.http.get('/api/docs-json'), 200)).body;
    operations = operationsOf(doc);

    const admin = await createAdmin(t);
    const [seller, seller2, buyer, buyer2] = [await createUser(t, 'SELLER'), await createUser(t, 'SELLER'), await createUser(t, 'BUYER'), await createUser(t, 'BUYER')];
    const targets = [await createUser(t, 'BUYER'), await createUser(t, 'SELLER'), await createUser(t, 'BUYER')];
    const sessionUser = await createUser(t, 'BUYER');
    const actors: [Who, TestUser][] = [['admin', admin], ['seller', seller], ['seller2', seller2], ['buyer', buyer], ['buyer2', buyer2]];
    for (const [who, user] of actors) tokens.set(who, user.access);
    const sessions: Pools['sessions'] = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      const login = await ok(t.http.post('/api/v1/login/').send({ username: sessionUser.username, password: PASSWORD }), 200);
      tokens.set(`session${i}`, login.body.access);
      sessions.push({ who: `session${i}`, refresh: login.body.refresh });
    }

    const main = await createItem(t, seller, { quantity: 1000 });
    const spare = await createItem(t, seller, { quantity: 200, brand: 'MERU', weight_kg: 6, unit_price: '1200.50', location: 'Mombasa Road' });
    // Items without orders, for DELETE.
    const idle = [
      await createItem(t, seller, { quantity: 5, brand: 'TOTAL', weight_kg: 12.5 }),
      await createItem(t, seller, { quantity: 1, brand: 'OTHER', weight_kg: 3 }),
      await createItem(t, seller, { quantity: 7 }),
    ];
    const foreign = await createItem(t, seller2, { quantity: 300, location: 'Kisumu' });

    const place = async (who: TestUser, itemId: number) => (await placeOrder(t, who, itemId, 1)).id;
    // Many PENDING orders: approve, reject, cancel, edit and delete each use some up.
    const pending: number[] = [];
    for (let i = 0; i < 16; i += 1) pending.push(await place(buyer, i % 4 === 3 ? spare.id : main.id));
    for (let i = 0; i < 3; i += 1) pending.push(await place(buyer2, foreign.id), await place(buyer, foreign.id));
    const approved: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = await place(buyer, main.id);
      await ok(t.http.post(`/api/v1/orders/${id}/approve/`).set(admin.auth), 200);
      approved.push(id);
    }
    const delivered: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const id = await place(buyer, main.id);
      await ok(t.http.post(`/api/v1/orders/${id}/approve/`).set(admin.auth), 200);
      await ok(t.http.post(`/api/v1/orders/${id}/mark-delivered/`).set(seller.auth), 200);
      delivered.push(id);
    }
    const invoice = async (orderId: number) => (await ok(t.http.post('/api/v1/seller/invoice/').set(seller.auth).send({ order: orderId }), 201)).body.id as number;
    const invoices = [await invoice(delivered[0]), await invoice(delivered[1]), await invoice(approved[0])];
    await ok(t.http.post(`/api/v1/invoices/${invoices[0]}/approve/`).set(admin.auth), 200);
    const payment = await ok(t.http.post('/api/v1/payments/').set(buyer.auth).send({ invoice: invoices[0], amount: '10.00', payment_method: 'M-Pesa' }), 201);
    const rating = await ok(t.http.post('/api/v1/feedback/').set(buyer.auth).send({ order: delivered[2], rating: 4, comment: 'Fine.' }), 201);
    const brands = await ok(t.http.get('/api/v1/brands/').set(buyer.auth), 200);

    const everyone = [...actors.map(([, u]) => u), ...targets, sessionUser];
    pools = {
      users: everyone.map((u) => u.id),
      targets: targets.map((u) => u.id),
      sellers: [seller.id, seller2.id],
      items: [main.id, spare.id, ...idle.map((i) => i.id), foreign.id],
      orders: [...pending, ...approved, ...delivered],
      invoices,
      payments: [payment.body.id],
      ratings: [rating.body.id],
      brands: brands.body.map((b: { code: string }) => b.code),
      logins: everyone.flatMap((u) => [u.username, u.email]),
      password: PASSWORD,
      sessions,
    };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  async function send(op: Operation, c: Case): Promise<Response> {
    let url = op.path.replace('{id}', c.id ?? '');
    if (c.query.length > 0) url += `?${c.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
    // supertest's agent has one method per HTTP verb.
    let req = (t.http as unknown as Record<string, (url: string) => import('supertest').Test>)[op.method](url);
    if (c.auth && 'who' in c.auth) req = req.set('Authorization', `Bearer ${tokens.get(c.auth.who)}`);
    if (c.auth && 'header' in c.auth) req = req.set('Authorization', c.auth.header);
    for (const [name, value] of Object.entries(c.headers)) req = req.set(name, value);
    switch (c.body.kind) {
      case 'json':
        req = req.set('Content-Type', 'application/json').send(serialize(c.body.value));
        break;
      case 'raw':
        req = req.set('Content-Type', c.body.contentType).send(c.body.text);
        break;
      case 'multipart':
        for (const [name, value] of c.body.fields) req = req.field(name, value);
        if (c.body.fields.length === 0) req = req.field('empty', '');
        break;
    }
    return req.timeout(15_000);
  }

  /** What is wrong with an error response: the shape, the code for the status, a leak. */
  function errorProblems(c: Case, res: Response): string[] {
    const problems: string[] = [];
    const body = res.body as Record<string, unknown>;
    if (!/application\/json/.test(String(res.headers['content-type']))) problems.push(`error body is ${res.headers['content-type'] ?? 'untyped'}, not JSON`);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [...problems, 'error body is not an object'];
    if (typeof body.detail !== 'string' || body.detail.length === 0) problems.push('detail is not a non-empty string');
    if (typeof body.code !== 'string' || body.code.length === 0) problems.push('code is not a non-empty string');
    const extra = Object.keys(body).filter((k) => !['detail', 'code', 'errors'].includes(k));
    if (extra.length > 0) problems.push(`error body has fields outside {detail, code, errors}: ${extra.join(', ')}`);
    const expected = CODES[res.status];
    if (expected && !expected.includes(body.code as string)) problems.push(`code ${JSON.stringify(body.code)} for status ${res.status} (contract: ${expected.join(' | ')})`);
    if (body.errors !== undefined) {
      if (body.code !== 'validation_error') problems.push('errors present on a non-validation error');
      const errors = body.errors as Record<string, unknown>;
      if (!errors || typeof errors !== 'object' || Array.isArray(errors)) problems.push('errors is not an object');
      else
        for (const [field, messages] of Object.entries(errors)) {
          if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => typeof m === 'string' && m.length > 0)) {
            problems.push(`errors.${field} is not a non-empty array of strings`);
          }
        }
    } else if (body.code === 'validation_error' && c.field !== undefined) {
      // The request broke one field (body field, query parameter, path id): the contract's
      // validation errors name it. Whole-body failures (not JSON, not an object) may have no field.
      problems.push(`a validation_error without the errors object (the case broke ${c.field})`);
    }
    if (LEAK.test(res.text)) problems.push('the body leaks internals (stack, source path or SQL)');
    return problems;
  }

  function successProblems(op: Operation, res: Response): string[] {
    const documented = op.success.find((s) => s.status === res.status);
    if (!documented) return [`status ${res.status} is not a documented success (${op.success.map((s) => s.status).join(', ')})`];
    const problems: string[] = [];
    if (res.status === 204 && res.text) problems.push('204 with a body');
    if (documented.schema) {
      if (!/application\/json/.test(String(res.headers['content-type']))) problems.push(`2xx body is ${res.headers['content-type'] ?? 'untyped'}, not JSON`);
      const result = conformance(doc, res.body, documented.schema);
      problems.push(...result.problems.slice(0, 5));
      for (const field of result.undocumented) undocumented.add(field);
    }
    for (const [name, schema] of Object.entries(documented.headers)) {
      const value = res.headers[name];
      if (value === undefined) {
        if (name !== 'link') problems.push(`documented header ${name} missing`);
      } else if (schema.type === 'integer' && !/^\d+$/.test(String(value))) problems.push(`header ${name} = ${value} is not an integer`);
    }
    return problems;
  }

  function verify(op: Operation, c: Case, res: Response): void {
    const problems: string[] = [];
    if (res.status >= 500) problems.push(`server error ${res.status}`);
    else if (res.status >= 400) problems.push(...errorProblems(c, res));
    else if (res.status >= 200 && res.status < 300) problems.push(...successProblems(op, res));
    else problems.push(`unexpected status ${res.status}`);

    if (res.status < 500) {
      if (c.expect === 'valid' && res.status >= 400 && (res.status === 400 || !op.documented.has(res.status))) {
        problems.push(`a valid request got ${res.status}, which is ${res.status === 400 ? 'a rejection of valid input' : 'not documented for this operation'}`);
      }
      if (c.expect === 'reject') {
        if (res.status < 400) problems.push(`invalid input accepted with ${res.status}`);
        else if (c.statuses && !c.statuses.includes(res.status)) problems.push(`expected ${c.statuses.join(' or ')}, got ${res.status}`);
      }
    }
    if (res.status >= 200 && res.status < 300) succeeded.add(op.key);
    if (problems.length > 0) {
      const body = res.text.length > 600 ? `${res.text.slice(0, 600)}… (${res.text.length} chars)` : res.text;
      throw new PropertyFailure(
        `${problems.join('; ')}\n    request:  ${op.method.toUpperCase()} ${op.path} ${describeCase(c)}\n    response: ${res.status} ${res.headers['content-type'] ?? ''} ${body}`,
      );
    }
  }

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.map((o) => o.key)).toEqual(expect.arrayContaining(['POST /api/v1/orders', 'PATCH /api/v1/inventory/{id}', 'GET /health/ready']));
  });

  it('answers generated valid and invalid requests without a 5xx, in the documented shapes', async () => {
    const started = Date.now();
    const failures: string[] = [];
    const indexed = operations.map((op, index) => ({ op, index }));
    const ordered = [...indexed].sort((a, b) => phase(a.op) - phase(b.op) || a.index - b.index);
    let covered = 0;
    for (const { op, index } of ordered) {
      if (ONLY && op.key !== ONLY) continue;
      covered += 1;
      const seed = (SEED + index) | 0;
      const details = await fc.check(
        fc.asyncProperty(requestsFor(op, pools), async (c) => {
          cases += 1;
          const res = await send(op, c);
          verify(op, c, res);
          const pool = op.method === 'post' ? CREATED[op.path] : undefined;
          if (pool && res.status === 201 && Number.isInteger(res.body?.id)) (pools[pool] as number[]).push(res.body.id);
        }),
        { numRuns: RUNS, seed, path: ONLY === op.key ? PATH : undefined },
      );
      if (details.failed) {
        const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        failures.push(
          [
            `${op.key}: failed after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s) (seed ${seed}, path ${details.counterexamplePath})`,
            `  ${error}`,
            `  replay the whole run:        PROPERTY_SEED=${SEED} npm test -- test/property`,
            `  replay just this case:       PROPERTY_SEED=${SEED} PROPERTY_ONLY='${op.key}' PROPERTY_PATH='${details.counterexamplePath}' npm test -- test/property`,
          ].join('\n'),
        );
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const never = ordered.filter(({ op }) => (!ONLY || op.key === ONLY) && !succeeded.has(op.key)).map(({ op }) => op.key);
    console.log(
      `property suite: ${covered} operations, ${cases} generated cases (${RUNS} runs each, plus shrinking), ${seconds}s, seed ${SEED}` +
        (never.length ? `; no 2xx for: ${never.join(', ')}` : '') +
        (undocumented.size ? `; undocumented response fields: ${[...undocumented].join(', ')}` : '') +
        ` (replay: PROPERTY_SEED=${SEED} npm test -- test/property)`,
    );
    if (failures.length > 0) throw new PropertyFailure(`${failures.length} operation(s) failed a property:\n\n${failures.join('\n\n')}`);
  }, 300_000);

  it('leaves the stock figures consistent with the ledger and the open orders', async () => {
    expect(await findStockMismatches(t.db)).toEqual([]);
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
