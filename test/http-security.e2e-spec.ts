import type { Response } from 'supertest';
import { createUser, expectError } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A login body of about `bytes` bytes whose padding is an unknown field: a 400 once it gets past the size check. */
const loginBodyOf = (bytes: number) => JSON.stringify({ username: 'nobody', password: 'x', padding: 'p'.repeat(bytes) });

function expectSecurityHeaders(res: Response): void {
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['content-security-policy']).toBeDefined();
}

describe('HTTP hardening with the default configuration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: undefined, BODY_LIMIT: undefined } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the security headers and no X-Powered-By on every kind of response', async () => {
    const responses = [
      await t.http.get('/health/live'),
      await t.http.get('/api/v1/brands/'),
      await t.http.get('/api/v1/no-such-route/'),
      await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send('{"username": '),
      await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send(loginBodyOf(200 * 1024)),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 404, 400, 413]);
    for (const res of responses) expectSecurityHeaders(res);
  });

  it('gives JSON responses a policy that lets nothing load or frame them', async () => {
    const res = await t.http.get('/api/v1/brands/');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('answers with no CORS header at all when CORS_ORIGINS is unset (same-origin only)', async () => {
    const user = await createUser(t, 'BUYER');
    const simple = await t.http.get('/api/v1/brands/').set(user.auth).set('Origin', 'https://elsewhere.example');
    expect(simple.status).toBe(200);
    const preflight = await t.http
      .options('/api/v1/orders/')
      .set('Origin', 'https://elsewhere.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    for (const res of [simple, preflight]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('serves Swagger UI under a policy its page satisfies: scripts only from its own origin, inline styles allowed', async () => {
    const page = await t.http.get('/api/docs/');
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' https: 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('upgrade-insecure-requests');

    // script-src 'self' blocks inline scripts: the page must have none, and every script it loads must be served.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src=["']\.\/([^"']+)["']/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      const script = await t.http.get(`/api/docs/${src}`);
      expect({ src, status: script.status, type: script.headers['content-type'] }).toEqual({
        src,
        status: 200,
        type: expect.stringMatching(/javascript/),
      });
    }
    const document = await t.http.get('/api/docs-json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\./);
  });

  it('refuses a body over the default 100 kB with 413 payload_too_large, and reads one under it', async () => {
    const over = await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send(loginBodyOf(100 * 1024));
    expectError(over, 413, 'payload_too_large');
    const under = await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send(loginBodyOf(90 * 1024));
    expectError(under, 400, 'validation_error');
    expect(Object.keys(under.body.errors)).toEqual(['padding']);
  });

  it('returns the client’s X-Request-Id when it is sane, and a new UUID otherwise', async () => {
    const sane = await t.http.get('/health/live').set('X-Request-Id', 'client-req_42.a');
    expect(sane.headers['x-request-id']).toBe('client-req_42.a');

    const rejected = ['with spaces', 'x'.repeat(129), 'semi;colon', '<script>'];
    for (const value of rejected) {
      const res = await t.http.get('/health/live').set('X-Request-Id', value);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }

    const first = await t.http.get('/api/v1/brands/');
    const second = await t.http.get('/api/v1/brands/');
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });
});

describe('HTTP hardening with CORS_ORIGINS and BODY_LIMIT set', () => {
  const allowed = 'https://shop.example.com';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: `${allowed}, http://localhost:5173`, BODY_LIMIT: '1kb' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a listed origin read responses and their paging, id and rate-limit headers', async () => {
    const user = await createUser(t, 'BUYER');
    const res = await t.http.get('/api/v1/gas/').set(user.auth).set('Origin', allowed);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers.vary).toMatch(/Origin/);
    const exposed = res.headers['access-control-expose-headers'].split(',');
    expect(exposed).toEqual(expect.arrayContaining(['X-Total-Count', 'Link', 'X-Request-Id', 'Retry-After']));
    expect(res.headers['x-total-count']).toBeDefined();
  });

  it('answers a listed origin’s preflight for an authenticated JSON POST', async () => {
    const res = await t.http
      .options('/api/v1/orders/')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-methods'].split(',')).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type');
  });

  it('gives any other origin no Access-Control-Allow-Origin, so browsers withhold the response', async () => {
    for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'http://shop.example.com']) {
      const res = await t.http.get('/health/live').set('Origin', origin);
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('applies BODY_LIMIT: 413 payload_too_large over 1 kB, validation under it', async () => {
    const over = await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send(loginBodyOf(1100));
    expectError(over, 413, 'payload_too_large');
    expect(over.headers['x-request-id']).toMatch(UUID);
    const form = await t.http.post('/api/v1/login/').type('form').send(`username=a&password=${'b'.repeat(1100)}`);
    expectError(form, 413, 'payload_too_large');
    const under = await t.http.post('/api/v1/login/').set('Content-Type', 'application/json').send(loginBodyOf(800));
    expectError(under, 400, 'validation_error');
  });
});
