import jwt from 'jsonwebtoken';
import { createSecretKey, type KeyObject } from 'node:crypto';

/** Who signs our access tokens and for whom (TokenService signs with these). */
export const JWT_ISSUER = 'gas-stock-api';
export const JWT_AUDIENCE = 'gas-stock-clients';

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), else undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : undefined;
}

/**
 * Checks access tokens (HS256 only, our issuer and audience, not expired) for
 * both places that read them: the rate limiter, which runs first and counts a
 * valid token against its user, and the authentication guard. A token already
 * verified is not verified again until it expires: the same string carries
 * the same signature, so the answer stands, and the expiry is checked on
 * every use. One instance serves the whole app (AccessTokenModule), so a
 * request's token is verified once, not once per reader. Plain jsonwebtoken,
 * no framework: the bench's reference server checks tokens with it too.
 */
export class AccessTokenVerifier {
  /** More distinct live tokens than this and the memory starts over. */
  static readonly MAX_REMEMBERED = 10_000;

  private readonly key: KeyObject;
  private readonly verified = new Map<string, { userId: number; expiresAt: number }>();

  constructor(secret: string) {
    // A KeyObject: given a string, jsonwebtoken first tries it as a PEM public key
    // on every call, about an eighth of the app's CPU on a list request (docs/performance.md).
    this.key = createSecretKey(Buffer.from(secret));
  }

  /** The user a valid access token names, else undefined (forged, expired, malformed). */
  userIdOf(token: string): number | undefined {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return known.userId;
      this.verified.delete(token);
    }
    try {
      const claims = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
      const { sub, exp } = claims as { sub?: unknown; exp?: unknown };
      if (!Number.isInteger(sub)) return undefined;
      const userId = sub as number;
      if (typeof exp === 'number') {
        if (this.verified.size >= AccessTokenVerifier.MAX_REMEMBERED) this.verified.clear();
        this.verified.set(token, { userId, expiresAt: exp * 1000 });
      }
      return userId;
    } catch {
      return undefined;
    }
  }
}
