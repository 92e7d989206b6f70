import { jest } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';
import { AccessTokenVerifier, JWT_AUDIENCE, JWT_ISSUER } from '../../auth/access-token-verifier.js';
import { ClientIdentity } from './client-identity.js';

const SECRET = 'a-test-secret-of-a-decent-length-0123456789';

const sign = (payload: object, { secret = SECRET, expiresIn = 60 }: { secret?: string; expiresIn?: number } = {}) =>
  jwt.sign(payload, secret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn });

const request = (token?: string) =>
  ({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, ip: '203.0.113.9' }) as unknown as FastifyRequest;

describe('ClientIdentity', () => {
  afterEach(() => jest.restoreAllMocks());

  it('counts a valid token against its user, every time it is shown', () => {
    const identity = new ClientIdentity(new AccessTokenVerifier(SECRET));
    const token = sign({ sub: 7, role: 'BUYER', username: 'ann' });
    expect(identity.of(request(token))).toBe('user:7');
    expect(identity.of(request(token))).toBe('user:7');
    expect(identity.of(request(sign({ sub: 8, role: 'BUYER', username: 'bob' })))).toBe('user:8');
  });

  it('counts a missing, forged or malformed token against the address', () => {
    const identity = new ClientIdentity(new AccessTokenVerifier(SECRET));
    const claims = { sub: 7, role: 'BUYER', username: 'ann' };
    // Once the genuine token is known, a copy signed with another key must still fail.
    expect(identity.of(request(sign(claims)))).toBe('user:7');
    expect(identity.of(request(sign(claims, { secret: 'another-secret-of-a-decent-length-98765' })))).toBe('ip:203.0.113.9');
    expect(identity.of(request('not.a.token'))).toBe('ip:203.0.113.9');
    expect(identity.of(request(sign({ sub: 'seven', role: 'BUYER', username: 'ann' })))).toBe('ip:203.0.113.9');
    expect(identity.of(request())).toBe('ip:203.0.113.9');
  });

  it('stops counting a token it has already verified against its user once the token expires', () => {
    const identity = new ClientIdentity(new AccessTokenVerifier(SECRET));
    const token = sign({ sub: 7, role: 'BUYER', username: 'ann' }, { expiresIn: 30 });
    const start = Date.now();
    expect(identity.of(request(token))).toBe('user:7');

    jest.spyOn(Date, 'now').mockReturnValue(start + 29_000);
    expect(identity.of(request(token))).toBe('user:7');
    jest.spyOn(Date, 'now').mockReturnValue(start + 31_000);
    expect(identity.of(request(token))).toBe('ip:203.0.113.9');
  });
});
