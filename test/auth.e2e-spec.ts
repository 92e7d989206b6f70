import { DataSource } from 'typeorm';
import { JwtService } from '@nestjs/jwt';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/access-token-verifier.js';
import { createAdmin, createUser, expectError, PASSWORD, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('auth and profiles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const registration = (role: string, name = unique('user')) => ({
    username: name,
    email: `${name}@example.com`,
    password: PASSWORD,
    role,
  });

  it('refuses self-registration as ADMIN with 403, and creates no user', async () => {
    const body = registration('ADMIN');
    expectError(await t.http.post('/api/v1/register/').send(body), 403, 'permission_denied');
    expectError(await t.http.post('/api/v1/login/').send({ username: body.username, password: PASSWORD }), 401, 'not_authenticated');
  });

  it('lets an authenticated admin register another admin', async () => {
    const admin = await createAdmin(t);
    const body = registration('ADMIN');
    const res = await t.http.post('/api/v1/register/').set(admin.auth).send(body);
    expect(res.status).toBe(201);
    expect(res.body.message).toBe('User registered successfully');
    const login = await t.http.post('/api/v1/login/').send({ username: body.username, password: PASSWORD });
    const me = await t.http.get('/api/v1/profiles/me/').set({ Authorization: `Bearer ${login.body.access}` });
    expect(me.body.role).toBe('ADMIN');
  });

  it('does not let a buyer register an admin', async () => {
    const buyer = await createUser(t, 'BUYER');
    expectError(await t.http.post('/api/v1/register/').set(buyer.auth).send(registration('ADMIN')), 403, 'permission_denied');
  });

  it('refuses a duplicate username or email whatever its case with 409 already_exists', async () => {
    const body = registration('BUYER');
    expect((await t.http.post('/api/v1/register/').send(body)).status).toBe(201);
    const sameName = { ...registration('SELLER'), username: body.username.toUpperCase() };
    expectError(await t.http.post('/api/v1/register/').send(sameName), 409, 'already_exists');
    const sameEmail = { ...registration('SELLER'), email: body.email.toUpperCase() };
    expectError(await t.http.post('/api/v1/register/').send(sameEmail), 409, 'already_exists');
  });

  it('logs in with the username or the email', async () => {
    const buyer = await createUser(t, 'BUYER');
    for (const username of [buyer.username, buyer.email, buyer.email.toUpperCase()]) {
      const res = await t.http.post('/api/v1/login/').send({ username, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access', 'refresh']);
    }
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const buyer = await createUser(t, 'BUYER');
    const wrong = await t.http.post('/api/v1/login/').send({ username: buyer.username, password: 'not-the-password' });
    const unknown = await t.http.post('/api/v1/login/').send({ username: unique('nobody'), password: 'not-the-password' });
    expectError(wrong, 401, 'not_authenticated');
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
  });

  it("refuses a username that is someone else's email, or an email that is someone else's username, so email login stays theirs", async () => {
    const victim = await createUser(t, 'BUYER');
    const taken = await t.http
      .post('/api/v1/register/')
      .send({ username: victim.email.toUpperCase(), email: `${unique('other')}@example.com`, password: 'another-password-1', role: 'SELLER' });
    expectError(taken, 409, 'already_exists');
    // A user whose username is an address of its own: nobody may register with that address as an email.
    const named = `${unique('named')}@example.org`;
    const first = await t.http.post('/api/v1/register/').send({ username: named, email: `${unique('x')}@example.com`, password: 'named-password-1', role: 'BUYER' });
    expect(first.status).toBe(201);
    const emailIsUsername = await t.http
      .post('/api/v1/register/')
      .send({ username: unique('other'), email: named, password: 'another-password-1', role: 'SELLER' });
    expectError(emailIsUsername, 409, 'already_exists');
    const login = await t.http.post('/api/v1/login/').send({ username: victim.email, password: PASSWORD });
    expect(login.status).toBe(200);
    // A username may still be the user's own email.
    const own = `${unique('own')}@example.com`;
    expect((await t.http.post('/api/v1/register/').send({ username: own, email: own, password: 'own-password-12', role: 'BUYER' })).status).toBe(201);
  });

  it('never returns the password hash', async () => {
    const admin = await createAdmin(t);
    const res = await t.http.get('/api/v1/profiles/').set(admin.auth);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/);
  });

  it('lists all profiles for an admin only', async () => {
    const admin = await createAdmin(t);
    const buyer = await createUser(t, 'BUYER');
    const all = await t.http.get('/api/v1/profiles/').query({ page_size: 200 }).set(admin.auth);
    expect(Number(all.headers['x-total-count'])).toBeGreaterThanOrEqual(2);
    expectError(await t.http.get('/api/v1/profiles/').set(buyer.auth), 403, 'permission_denied');
  });

  it("shows an admin every listed profile's contact details, the first on each page too", async () => {
    const admin = await createAdmin(t);
    await createUser(t, 'BUYER');
    await createUser(t, 'SELLER');
    for (const page of [1, 2, 3]) {
      const res = await t.http.get('/api/v1/profiles/').query({ page, page_size: 1 }).set(admin.auth);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      const [listed] = res.body;
      expect(listed.user.email).toEqual(expect.stringContaining('@'));
      const single = await t.http.get(`/api/v1/profiles/${listed.id}/`).set(admin.auth);
      expect(listed).toEqual(single.body);
    }
  });

  it('refuses malformed, foreign and expired tokens', async () => {
    expectError(await t.http.get('/api/v1/profiles/me/').set({ Authorization: 'Bearer nonsense' }), 401, 'not_authenticated');
    expectError(await t.http.get('/api/v1/profiles/me/'), 401, 'not_authenticated');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 1, role: 'ADMIN', username: 'x' })).toString('base64url');
    expectError(await t.http.get('/api/v1/profiles/me/').set({ Authorization: `Bearer ${header}.${payload}.` }), 401, 'not_authenticated');
  });

  it('answers 500, not 401, when loading the caller fails for a reason of its own, and 200 again once it is fixed', async () => {
    const buyer = await createUser(t, 'BUYER');
    expect((await t.http.get('/api/v1/profiles/me/').set(buyer.auth)).status).toBe(200);
    // A broken schema makes the per-request user lookup fail: the server's fault, not the token's.
    await t.db.query('ALTER TABLE users RENAME COLUMN is_active TO is_active_renamed');
    try {
      expectError(await t.http.get('/api/v1/profiles/me/').set(buyer.auth), 500, 'internal_error');
    } finally {
      await t.db.query('ALTER TABLE users RENAME COLUMN is_active_renamed TO is_active');
    }
    expect((await t.http.get('/api/v1/profiles/me/').set(buyer.auth)).status).toBe(200);
  });

  it('refuses tokens signed with another secret, another algorithm, or for another issuer or audience', async () => {
    const buyer = await createUser(t, 'BUYER');
    const payload = { sub: buyer.id, role: 'ADMIN', username: buyer.username };
    const secret = process.env.JWT_SECRET!;
    const forged = [
      new JwtService({ secret: 'another-secret-that-is-long-enough-000000' }).sign(payload, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE }),
      new JwtService({ secret }).sign(payload, { algorithm: 'HS512', issuer: JWT_ISSUER, audience: JWT_AUDIENCE }),
      new JwtService({ secret }).sign(payload, { issuer: 'someone-else', audience: JWT_AUDIENCE }),
      new JwtService({ secret }).sign(payload, { issuer: JWT_ISSUER, audience: 'another-app' }),
      new JwtService({ secret }).sign(payload, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: -10 }),
    ];
    for (const token of forged) {
      expectError(await t.http.get('/api/v1/profiles/me/').set({ Authorization: `Bearer ${token}` }), 401, 'not_authenticated');
    }
    // The same claims, properly signed, work: the refusals above are about the signature and claims.
    const genuine = new JwtService({ secret }).sign({ ...payload, role: 'BUYER' }, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
    expect((await t.http.get('/api/v1/profiles/me/').set({ Authorization: `Bearer ${genuine}` })).status).toBe(200);
  });

  it('refuses a refresh token that is garbage', async () => {
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: 'garbage' }), 401, 'not_authenticated');
    expectError(
      await t.http.post('/api/v1/token/refresh/').send({ refresh: '00000000-0000-0000-0000-000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }),
      401,
      'not_authenticated',
    );
  });

  it("refuses a refresh token too long to be ours as an invalid token (401), as the original service's JWTs", async () => {
    const jwtLike = `${'e'.repeat(36)}.${'p'.repeat(250)}.${'s'.repeat(43)}`;
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: jwtLike }), 401, 'not_authenticated');
    // Shaped like ours, but its id is no UUID.
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: `${'e'.repeat(36)}.${'p'.repeat(43)}` }), 401, 'not_authenticated');
  });

  it("logs out with 204 and leaves alone a refresh token that is not the caller's", async () => {
    const [alice, bob] = [await createUser(t, 'BUYER'), await createUser(t, 'BUYER')];
    for (const refresh of [bob.refresh, 'garbage', `${'e'.repeat(36)}.${'p'.repeat(300)}`]) {
      const res = await t.http.post('/api/v1/logout/').set(alice.auth).send({ refresh });
      expect(res.status).toBe(204);
    }
    // Bob's login goes on; Alice's own logout still ends hers.
    const bobs = await t.http.post('/api/v1/token/refresh/').send({ refresh: bob.refresh });
    expect(bobs.status).toBe(200);
    expect((await t.http.post('/api/v1/logout/').set(alice.auth).send({ refresh: alice.refresh })).status).toBe(204);
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: alice.refresh }), 401, 'not_authenticated');
  });

  it('revokes the whole login when a rotated refresh token is presented again', async () => {
    const buyer = await createUser(t, 'BUYER');
    const first = await t.http.post('/api/v1/token/refresh/').send({ refresh: buyer.refresh });
    expect(first.status).toBe(200);
    // Someone replays the old token: both it and the one issued in its place stop working.
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: buyer.refresh }), 401, 'not_authenticated');
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: first.body.refresh }), 401, 'not_authenticated');
  });

  it('answers health checks without a token', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
    expect(ready.body.info.schema.status).toBe('up');
  });

  it('is not ready while the database misses a migration of this build, and ready once it has it again', async () => {
    const db = t.app.get(DataSource);
    const [last] = await db.query('SELECT id, timestamp, name FROM typeorm_migrations ORDER BY id DESC LIMIT 1');
    await db.query('DELETE FROM typeorm_migrations WHERE id = $1', [last.id]);
    try {
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expectError(ready, 503, 'service_unavailable');
      expect(ready.body.detail).toBe(`Not ready: schema: 1 migration(s) pending (${last.name}); run npm run migration:run.`);
      expect((await t.http.get('/health/live')).status).toBe(200);
    } finally {
      await db.query('INSERT INTO typeorm_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last.id, last.timestamp, last.name]);
    }
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});
