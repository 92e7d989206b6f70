import { normalizeIp } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { bearerToken, type AccessTokenVerifier } from '../../auth/access-token-verifier.js';

/**
 * Who a request counts against. The throttler runs before authentication (so
 * floods of anonymous or badly signed requests are limited too), so it checks
 * the bearer token itself (with the verifier the guard uses, so a token is
 * verified once): a valid one counts against its user wherever they connect
 * from; anything else against the client address.
 */
export class ClientIdentity {
  constructor(private readonly tokens: AccessTokenVerifier) {}

  /** `user:<id>` for a valid access token, else `ip:<address>`. */
  of(req: FastifyRequest): string {
    const token = bearerToken(req.headers.authorization);
    // Invalid or expired: counted by address, and the auth guard answers 401.
    const userId = token === undefined ? undefined : this.tokens.userIdOf(token);
    return userId === undefined ? ClientIdentity.address(req) : `user:${userId}`;
  }

  /** The client address (from X-Forwarded-For only when TRUST_PROXY says so); IPv6 by /64. */
  static address(req: FastifyRequest): string {
    return `ip:${normalizeIp(req.ip ?? req.socket?.remoteAddress ?? 'unknown')}`;
  }

  /** The username a login or register body submits, case-folded, or undefined. */
  static submittedUsername(req: FastifyRequest): string | undefined {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    if (typeof username !== 'string' || username.trim() === '') return undefined;
    return `username:${username.trim().toLowerCase().slice(0, 256)}`;
  }
}
