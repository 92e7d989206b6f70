import { jest } from '@jest/globals';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { BrandsService } from '../src/brands/brands.service.js';
import { LOG_DESTINATION } from '../src/common/logging/http-logger.js';
import { DatabaseLogger } from '../src/database/database-logger.js';
import { expectError, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

interface LogRecord {
  level: number;
  time: string;
  msg: string;
  reqId?: string;
  userId?: number;
  req?: { method: string; url: string; headers: Record<string, string> };
  res?: { statusCode: number };
  err?: { message: string };
  [key: string]: unknown;
}

/** The app's log destination: every line pino writes, kept for the assertions. */
class LogCapture {
  readonly text: string[] = [];
  write(chunk: string): void {
    this.text.push(chunk);
  }
  get records(): LogRecord[] {
    return this.text
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogRecord);
  }
  accessLogOf(res: Response): LogRecord {
    const id = res.headers['x-request-id'];
    const matches = this.records.filter((r) => r.reqId === id && r.res !== undefined);
    expect(matches).toHaveLength(1);
    return matches[0];
  }
}

/**
 * The app is the only one this file creates: nestjs-pino keeps the first
 * application's logger for logs made outside a request.
 */
describe('structured logs', () => {
  const logs = new LogCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      // The most verbose level: whatever is logged at all must be clean.
      // TRUST_PROXY: as behind nginx, so the access line names the forwarded client.
      env: { LOG_LEVEL: 'trace', TRUST_PROXY: '1' },
      override: (builder) => builder.overrideProvider(LOG_DESTINATION).useValue(logs),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one JSON line per request, with the request id of the response header', async () => {
    const res = await t.http.get('/api/v1/brands/').set('X-Request-Id', 'trace-me-123');
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    const line = logs.accessLogOf(res);
    expect(line).toMatchObject({
      reqId: 'trace-me-123',
      msg: 'request completed',
      req: { method: 'GET', url: '/api/v1/brands/' },
      res: { statusCode: 401 },
    });
    expect(new Date(line.time).toISOString()).toBe(line.time);

    const generated = await t.http.get('/api/v1/brands/');
    expect(logs.accessLogOf(generated).reqId).toBe(generated.headers['x-request-id']);
    // Straight from a client, the line holds the socket's address only.
    expect(logs.accessLogOf(generated)).not.toHaveProperty('clientIp');
  });

  it('names the client a trusted proxy forwarded, not an address the client wrote itself', async () => {
    // nginx appends the address it saw to the X-Forwarded-For the client sent.
    const res = await t.http.get('/api/v1/brands/').set('X-Forwarded-For', '10.9.9.9, 198.51.100.7');
    expect(logs.accessLogOf(res).clientIp).toBe('198.51.100.7');
  });

  it('writes no statement parameter of a registration that lost a race for its username', async () => {
    const username = unique('racer');
    const email = `${username}@example.com`;
    const password = 'Racing-passw0rd-for-logs';
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.http.post('/api/v1/register/').send({ username, email, password, role: 'BUYER' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    // A lost race fails its INSERT on a PostgreSQL server; TypeORM's console logger wrote its parameters.
    expect(t.app.get(DataSource).logger).toBeInstanceOf(DatabaseLogger);
    const written = logs.text.join('');
    for (const secret of [email, password, '$2b$']) expect(written).not.toContain(secret);
    expect(() => logs.records).not.toThrow();
  });

  it('leaves no password, token or Authorization value in the logs of a register, login, refresh and authorized requests', async () => {
    const username = unique('logged');
    const password = 'Sup3r-secret-passw0rd-for-logs';
    const responses: Response[] = [];
    const send = async (res: Promise<Response>) => {
      responses.push(await res);
      return responses[responses.length - 1];
    };

    const register = await send(
      t.http.post('/api/v1/register/').send({ username, email: `${username}@example.com`, password, role: 'BUYER' }),
    );
    expect(register.status).toBe(201);
    const wrong = await send(t.http.post('/api/v1/login/').send({ username, password: `${password}-wrong` }));
    expectError(wrong, 401, 'not_authenticated');
    const login = await send(t.http.post('/api/v1/login/').send({ username, password }));
    expect(login.status).toBe(200);
    const refresh = await send(t.http.post('/api/v1/token/refresh/').send({ refresh: login.body.refresh }));
    expect(refresh.status).toBe(200);
    const auth = { Authorization: `Bearer ${refresh.body.access}` };
    const me = await send(t.http.get('/api/v1/profiles/me/').set(auth).set('Cookie', 'session=cookie-secret-value'));
    expect(me.status).toBe(200);
    const logout = await send(t.http.post('/api/v1/logout/').set(auth).send({ refresh: refresh.body.refresh }));
    expect(logout.status).toBe(204);

    const written = logs.text.join('');
    const tokens = [login.body.access, login.body.refresh, refresh.body.access, refresh.body.refresh] as string[];
    const secrets = [
      password,
      ...tokens,
      // The parts that would leak a token on their own: JWT signatures, refresh-token secrets.
      ...tokens.map((token) => token.split('.').pop()!),
      'cookie-secret-value',
    ];
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).not.toMatch(/Bearer /i);

    // Every one of those requests was logged, under the id its response carried.
    for (const res of responses) expect(logs.accessLogOf(res).res?.statusCode).toBe(res.status);
    const meLine = logs.accessLogOf(me);
    expect(meLine.req?.headers.authorization).toBe('[Redacted]');
    expect(meLine.req?.headers.cookie).toBe('[Redacted]');
    expect(meLine.userId).toBe(register.body.user.id);
  });

  it('logs an unexpected error with the request id, and keeps its details out of the response', async () => {
    const name = unique('failing');
    await t.http.post('/api/v1/register/').send({ username: name, email: `${name}@example.com`, password: 'a-long-password-1', role: 'BUYER' });
    const { access } = (await t.http.post('/api/v1/login/').send({ username: name, password: 'a-long-password-1' })).body;
    const failure = jest.spyOn(t.app.get(BrandsService), 'list').mockRejectedValueOnce(new Error('disk on fire at /var/lib/secret'));
    try {
      const res = await t.http.get('/api/v1/brands/').set('Authorization', `Bearer ${access}`).set('X-Request-Id', 'failing-req-7');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ detail: 'Internal server error.', code: 'internal_error' });
      expect(res.headers['x-request-id']).toBe('failing-req-7');

      const errors = logs.records.filter((r) => r.reqId === 'failing-req-7' && r.level >= 50);
      const logged = errors.find((r) => r.err?.message === 'disk on fire at /var/lib/secret');
      expect(logged).toMatchObject({ context: 'Errors', requestId: 'failing-req-7' });
      expect(logs.accessLogOf(res).res?.statusCode).toBe(500);
    } finally {
      failure.mockRestore();
    }
  });
});
