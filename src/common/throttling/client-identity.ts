import { JwtService } from '@nestjs/jwt';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { accessTokenChecks } from '../../auth/token.service.js';

/**
 * Who a request counts against. The throttler runs before authentication (so
 * floods of anonymous or badly signed requests are limited too), so it checks
 * the bearer token itself: a valid one counts against its user wherever they
 * connect from; anything else against the client address.
 */
export class ClientIdentity {
  /** More distinct live tokens than this and the cache starts over. */
  static readonly MAX_REMEMBERED = 10_000;

  private readonly jwt: JwtService;
  /**
   * Tokens already verified, with the user they name and when they expire: a
   * client's token is checked once, not on every request (passport checks it
   * again for authentication). The same string carries the same signature, so
   * the answer stands until the expiry, which is checked on every use.
   */
  private readonly verified = new Map<string, { tracker: string; expiresAt: number }>();

  constructor(secret: string) {
    const { key, ...verifyOptions } = accessTokenChecks(secret);
    this.jwt = new JwtService({ secret: key, verifyOptions });
  }

  /** `user:<id>` for a valid access token, else `ip:<address>`. */
  of(req: FastifyRequest): string {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      const user = this.userOf(header.slice('Bearer '.length).trim());
      if (user) return user;
    }
    return ClientIdentity.address(req);
  }

  private userOf(token: string): string | undefined {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return known.tracker;
      this.verified.delete(token);
    }
    try {
      const { sub, exp } = this.jwt.verify<{ sub?: unknown; exp?: unknown }>(token);
      if (!Number.isInteger(sub)) return undefined;
      const tracker = `user:${sub as number}`;
      if (typeof exp === 'number') {
        if (this.verified.size >= ClientIdentity.MAX_REMEMBERED) this.verified.clear();
        this.verified.set(token, { tracker, expiresAt: exp * 1000 });
      }
      return tracker;
    } catch {
      // Invalid or expired: counted by address, and the auth guard answers 401.
      return undefined;
    }
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
