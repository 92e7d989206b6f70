import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger, QueryRunner } from 'typeorm';
import { ActorCache } from '../src/users/actor-cache.js';
import { createAdmin, createUser, expectError, type TestUser } from './support/factories.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The users behind access tokens are remembered between requests on a
 * PostgreSQL server (ActorCache), and forgotten when PostgreSQL announces a
 * change: changes made here, and changes made anywhere else (another
 * instance, a script, a console), which these tests make straight in the
 * database, past the app's services. Without the announcements (the
 * listening connection lost, or the embedded database) every request reads
 * its user again.
 */
const onServer = process.env.TEST_DATABASE_URL !== undefined;
const ME = '/api/v1/profiles/me/';
const SELLER_ORDERS = '/api/v1/seller/orders/';

/** Asks until `done` holds, for up to `ms`; the last answer either way. */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean, ms = 3_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > until) return answer;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the users behind access tokens', () => {
  let t: TestApp;
  let cache: ActorCache;
  let admin: TestUser;
  const statements: string[] = [];
  const userLookups = () => statements.filter((sql) => sql.startsWith('SELECT id, role, username FROM users')).length;

  beforeAll(async () => {
    t = await createTestApp();
    cache = t.app.get(ActorCache);
    const logger: Logger = t.db.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query: string, parameters?: unknown[], runner?: QueryRunner) => {
      statements.push(query);
      return logQuery(query, parameters, runner);
    };
    admin = await createAdmin(t);
    if (onServer) await eventually(async () => cache.active, Boolean);
  });

  afterAll(async () => {
    await t?.close();
  });

  const deactivateElsewhere = (user: TestUser) => t.db.query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);

  (onServer ? it : it.skip)('are read once, then remembered between requests', async () => {
    const buyer = await createUser(t, 'BUYER');
    statements.length = 0;
    for (let n = 0; n < 5; n++) expect((await t.http.get(ME).set(buyer.auth)).status).toBe(200);
    expect(userLookups()).toBe(1);
  });

  (onServer ? it : it.skip)('are refused once deactivated elsewhere, as soon as PostgreSQL says so', async () => {
    const buyer = await createUser(t, 'BUYER');
    expect((await t.http.get(ME).set(buyer.auth)).status).toBe(200);
    await deactivateElsewhere(buyer);
    const res = await eventually(() => t.http.get(ME).set(buyer.auth), (r) => r.status === 401);
    expectError(res, 401, 'not_authenticated');
  });

  (onServer ? it : it.skip)('get their new role once it is changed elsewhere', async () => {
    const buyer = await createUser(t, 'BUYER');
    expectError(await t.http.get(SELLER_ORDERS).set(buyer.auth), 403, 'permission_denied');
    await t.db.query(`UPDATE users SET role = 'SELLER' WHERE id = $1`, [buyer.id]);
    const res = await eventually(() => t.http.get(SELLER_ORDERS).set(buyer.auth), (r) => r.status === 200);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('are refused on the very next request once an admin deactivates them here', async () => {
    const buyer = await createUser(t, 'BUYER');
    expect((await t.http.get(ME).set(buyer.auth)).status).toBe(200);
    expect((await t.http.patch(`/api/v1/profiles/${buyer.id}/`).set(admin.auth).send({ is_active: false })).status).toBe(200);
    expectError(await t.http.get(ME).set(buyer.auth), 401, 'not_authenticated');
  });

  (onServer ? it.skip : it)('are read on every request on the embedded database, so a change made elsewhere counts at once', async () => {
    expect(cache.active).toBe(false);
    const buyer = await createUser(t, 'BUYER');
    expect((await t.http.get(ME).set(buyer.auth)).status).toBe(200);
    await deactivateElsewhere(buyer);
    expectError(await t.http.get(ME).set(buyer.auth), 401, 'not_authenticated');
  });

  (onServer ? it : it.skip)('are read on every request while the announcements are lost, and remembered again once they are back', async () => {
    const [kept, other] = [await createUser(t, 'BUYER'), await createUser(t, 'BUYER')];
    expect((await t.http.get(ME).set(kept.auth)).status).toBe(200);
    // Cut the listening connection, as a network failure or a server restart would.
    expect(await t.db.query('SELECT pg_terminate_backend($1) AS cut', [cache.listenerPid])).toEqual([{ cut: true }]);
    await eventually(async () => cache.active, (active) => !active);
    expect(cache.active).toBe(false);

    // Nothing heard now, so nothing remembered: a change made elsewhere counts on the next request.
    await deactivateElsewhere(kept);
    expectError(await t.http.get(ME).set(kept.auth), 401, 'not_authenticated');

    // Back: remembered again, and changes are heard again.
    await eventually(async () => cache.active, Boolean, 10_000);
    expect(cache.active).toBe(true);
    statements.length = 0;
    for (let n = 0; n < 3; n++) expect((await t.http.get(ME).set(other.auth)).status).toBe(200);
    expect(userLookups()).toBe(1);
    await deactivateElsewhere(other);
    expectError(await eventually(() => t.http.get(ME).set(other.auth), (r) => r.status === 401), 401, 'not_authenticated');
  });

  (onServer ? it : it.skip)('close the listening connection when the app shuts down', async () => {
    const second = await createTestApp();
    const secondCache = second.app.get(ActorCache);
    await eventually(async () => secondCache.active, Boolean);
    const pid = secondCache.listenerPid;
    expect(pid).toEqual(expect.any(Number));
    await second.close();
    const open = await eventually(
      async () => (await t.db.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]))[0].n as number,
      (n) => n === 0,
    );
    expect(open).toBe(0);
  });
});
