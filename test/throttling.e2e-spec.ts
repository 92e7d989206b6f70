import { JwtService } from '@nestjs/jwt';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { createUser, expectError, PASSWORD, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key this run writes starts with this, so runs never share counts and cleanup finds them all. */
const RUN_PREFIX = `gas-stock-test:${process.pid}-${Date.now().toString(36)}:`;
let prefixes = 0;

type Store = { name: string; shared: boolean; env: () => Record<string, string | undefined> };

const STORES: Store[] = [
  { name: 'in memory', shared: false, env: () => ({ REDIS_URL: undefined }) },
  { name: 'in Redis', shared: true, env: () => ({ REDIS_URL, THROTTLE_REDIS_PREFIX: `${RUN_PREFIX}${++prefixes}:` }) },
];

/** Generous defaults; each test lowers the limit it checks. */
const LIMITS = { THROTTLE_LIMIT: '1000', THROTTLE_TTL: '60s', THROTTLE_AUTH_LIMIT: '1000', THROTTLE_AUTH_TTL: '60s', TRUST_PROXY: undefined };

function expectThrottled(res: Response, maxRetryAfter: number): void {
  expectError(res, 429, 'throttled');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
}

const login = (t: TestApp, username: string, password = 'wrong-password', from?: string) => {
  const req = t.http.post('/api/v1/login/');
  if (from) req.set('X-Forwarded-For', from);
  return req.send({ username, password });
};

describe.each(STORES)('rate limits counted $name', (store) => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string | undefined>, sharedEnv = store.env()): Promise<TestApp> => {
    const t = await createTestApp({ env: { ...LIMITS, ...sharedEnv, ...env } });
    apps.push(t);
    return t;
  };

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
  });

  it('answers 429 throttled with Retry-After once one address exceeds the login/register limit', async () => {
    const t = await start({ THROTTLE_AUTH_LIMIT: '3' });
    expectError(await login(t, unique('nobody')), 401, 'not_authenticated');
    expectError(await login(t, unique('nobody')), 401, 'not_authenticated');
    // The /api/token/ alias is the same route and the same count.
    expectError(await t.http.post('/api/token/').send({ username: unique('nobody'), password: 'x' }), 401, 'not_authenticated');

    const blocked = await login(t, unique('nobody'));
    expectThrottled(blocked, 60);
    expect(blocked.headers['x-request-id']).toBeDefined();
    // Register is limited with login: the address is blocked there too.
    const name = unique('newcomer');
    const register = await t.http
      .post('/api/v1/register/')
      .send({ username: name, email: `${name}@example.com`, password: PASSWORD, role: 'BUYER' });
    expectThrottled(register, 60);

    // Other routes keep answering this address.
    expect((await t.http.get('/health/live')).status).toBe(200);
    expectError(await t.http.get('/api/v1/brands/'), 401, 'not_authenticated');
  });

  it('limits attempts on one username from any number of addresses (TRUST_PROXY set)', async () => {
    const t = await start({ THROTTLE_AUTH_LIMIT: '3', TRUST_PROXY: 'loopback' });
    const victim = await createUser(t, 'BUYER');
    const attacker = (n: number) => `203.0.113.${n}`;

    // createUser spent one register and one login on this username: one guess is left.
    expectError(await login(t, victim.username.toUpperCase(), 'guess-1', attacker(1)), 401, 'not_authenticated');
    expectThrottled(await login(t, victim.username, 'guess-2', attacker(2)), 60);
    // Blocked for everyone, even with the right password, until Retry-After.
    expectThrottled(await login(t, victim.username, PASSWORD, attacker(3)), 60);

    // Another username from a fresh address is not affected.
    const other = await login(t, unique('someone'), 'x', attacker(4));
    expectError(other, 401, 'not_authenticated');
  });

  it('counts by the connecting address, ignoring X-Forwarded-For, unless TRUST_PROXY is set', async () => {
    const t = await start({ THROTTLE_AUTH_LIMIT: '3' });
    for (let n = 1; n <= 3; n += 1) {
      expectError(await login(t, unique('spoofer'), 'x', `198.51.100.${n}`), 401, 'not_authenticated');
    }
    expectThrottled(await login(t, unique('spoofer'), 'x', '198.51.100.99'), 60);
  });

  it('with TRUST_PROXY as a hop count, counts by the address the proxy forwarded', async () => {
    const t = await start({ THROTTLE_AUTH_LIMIT: '2', TRUST_PROXY: '1' });
    for (const n of [1, 2, 3]) {
      // Two attempts per forwarded address are allowed; a third from one of them is not.
      expectError(await login(t, unique('behind-proxy'), 'x', `198.51.100.${n}`), 401, 'not_authenticated');
      expectError(await login(t, unique('behind-proxy'), 'x', `198.51.100.${n}`), 401, 'not_authenticated');
    }
    expectThrottled(await login(t, unique('behind-proxy'), 'x', '198.51.100.1'), 60);
  });

  it('with TRUST_PROXY=1 behind nginx, an X-Forwarded-For the client wrote itself does not give it a fresh count', async () => {
    const t = await start({ THROTTLE_AUTH_LIMIT: '2', TRUST_PROXY: '1' });
    // nginx appends the address it saw (198.51.100.7) to whatever the client sent.
    for (const n of [1, 2]) {
      expectError(await login(t, unique('spoofer'), 'x', `10.9.9.${n}, 198.51.100.7`), 401, 'not_authenticated');
    }
    expectThrottled(await login(t, unique('spoofer'), 'x', '10.9.9.3, 198.51.100.7'), 60);
  });

  it('limits every other route per user, and per address for anonymous or badly signed requests', async () => {
    const t = await start({ THROTTLE_LIMIT: '5', THROTTLE_TTL: '30s' });
    const [alice, bob] = [await createUser(t, 'BUYER'), await createUser(t, 'SELLER')];

    for (let n = 1; n <= 5; n += 1) {
      const res = await t.http.get('/api/v1/brands/').set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - n));
    }
    expectThrottled(await t.http.get('/api/v1/brands/').set(alice.auth), 30);
    expectThrottled(await t.http.get('/api/v1/profiles/me/').set(alice.auth), 30);
    // Bob has a count of his own, from the same address.
    expect((await t.http.get('/api/v1/brands/').set(bob.auth)).status).toBe(200);

    // Anonymous requests count against the address; a token signed with another secret is anonymous.
    const forged = new JwtService({ secret: 'not-the-server-secret-but-long-enough-00000' }).sign({ sub: bob.id });
    for (let n = 1; n <= 5; n += 1) {
      const res = n % 2 ? t.http.get('/api/v1/brands/') : t.http.get('/api/v1/brands/').set('Authorization', `Bearer ${forged}`);
      expectError(await res, 401, 'not_authenticated');
    }
    expectThrottled(await t.http.get('/api/v1/brands/').set('Authorization', `Bearer ${forged}`), 30);
    expect((await t.http.get('/api/v1/brands/').set(bob.auth)).status).toBe(200);

    // Health probes are never limited.
    for (let n = 0; n < 12; n += 1) {
      expect((await t.http.get(n % 2 ? '/health/live' : '/health/ready')).status).toBe(200);
    }
  });

  it(
    store.shared
      ? 'shares one count between two instances of the app'
      : 'counts separately in each instance of the app (set REDIS_URL to share)',
    async () => {
      const sharedEnv = store.env();
      const a = await start({ THROTTLE_AUTH_LIMIT: '4' }, sharedEnv);
      const b = await start({ THROTTLE_AUTH_LIMIT: '4' }, sharedEnv);
      for (const instance of [a, b, a, b]) {
        expectError(await login(instance, unique('nobody')), 401, 'not_authenticated');
      }
      const fifthOnA = await login(a, unique('nobody'));
      const fifthOnB = await login(b, unique('nobody'));
      if (store.shared) {
        expectThrottled(fifthOnA, 60);
        expectThrottled(fifthOnB, 60);
      } else {
        expectError(fifthOnA, 401, 'not_authenticated');
        expectError(fifthOnB, 401, 'not_authenticated');
      }
    },
  );
});

describe('rate limits in Redis', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    // Fails the suite (rather than skipping it) when no Redis answers: the Redis store must be tested.
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${RUN_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps its counters in Redis under THROTTLE_REDIS_PREFIX, with no address or username in the keys', async () => {
    const prefix = `${RUN_PREFIX}keys:`;
    const t = await createTestApp({ env: { ...LIMITS, REDIS_URL, THROTTLE_REDIS_PREFIX: prefix } });
    try {
      const username = unique('findme');
      expectError(await login(t, username), 401, 'not_authenticated');
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys) {
        expect(key).not.toContain(username);
        expect(key).not.toContain('127.0.0.1');
        expect(await redis.pttl(key)).toBeGreaterThan(0);
      }
    } finally {
      await t.close();
    }
  });

  it('keeps serving, and limiting per instance, while Redis is unreachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const t = await createTestApp({ env: { ...LIMITS, REDIS_URL: `redis://127.0.0.1:${closedPort}`, THROTTLE_AUTH_LIMIT: '2' } });
    try {
      expectError(await login(t, unique('nobody')), 401, 'not_authenticated');
      expectError(await login(t, unique('nobody')), 401, 'not_authenticated');
      expectThrottled(await login(t, unique('nobody')), 60);
      expect((await t.http.get('/health/ready')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
