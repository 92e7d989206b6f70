import jwt from 'jsonwebtoken';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/access-token-verifier.js';
import type { AccessTokenPayload } from '../src/auth/token.service.js';
import type { BenchUser } from './dataset.js';

/**
 * Access tokens for the bench users, signed as TokenService signs them
 * (HS256, the app's issuer and audience, the same claims), so the app's
 * JwtAuthGuard accepts them without a bcrypt-bound login per user.
 */
export function mintAccessToken(secret: string, user: BenchUser): string {
  const payload: AccessTokenPayload = { sub: user.id, role: user.role, username: user.username };
  return jwt.sign(payload, secret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '2h' });
}

export const bearer = (token: string) => `Bearer ${token}`;
