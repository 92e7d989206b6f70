import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { NotAuthenticatedError } from '../common/errors.js';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { User } from '../users/user.entity.js';
import { TokenPairDto } from './dto/auth.dto.js';
import { RefreshToken } from './refresh-token.entity.js';

export interface AccessTokenPayload {
  sub: number;
  role: string;
  username: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** `<id>.<secret>`, as issueInFamily writes them. */
const REFRESH_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([\w-]{20,})$/;

/**
 * Access tokens are short-lived JWTs. Refresh tokens are opaque
 * (`<id>.<secret>`), stored hashed, single use: each refresh revokes the one
 * presented and issues the next of the same family (one login). Presenting
 * an already-rotated token revokes the whole family: someone else has it.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly db: TransactionalConnection,
    @Inject(appConfig.KEY) private readonly config: AppSettings,
  ) {}

  private get tokens() {
    return this.db.getRepository(RefreshToken);
  }

  issue(user: User): Promise<TokenPairDto> {
    return this.issueInFamily(user, randomUUID());
  }

  /** Spends a refresh token and returns the user id and family it belonged to. */
  async spend(presented: string): Promise<{ userId: number; familyId: string }> {
    const { id, hash } = this.parse(presented);
    const spent = await this.db.query<{ user_id: number; family_id: string }>(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE id = $1 AND token_hash = $2 AND revoked_at IS NULL AND expires_at > now()
        RETURNING user_id, family_id`,
      [id, hash],
    );
    if (spent.length === 1) return { userId: spent[0].user_id, familyId: spent[0].family_id };

    const known = await this.tokens.findOneBy({ id, tokenHash: hash });
    if (known?.revokedAt) await this.revokeFamily(known.familyId);
    throw new NotAuthenticatedError('The refresh token is invalid, expired or already used.');
  }

  async rotate(user: User, familyId: string): Promise<TokenPairDto> {
    return this.issueInFamily(user, familyId);
  }

  /**
   * Logout: ends the login the token belongs to, if it is the caller's. Any
   * other token (malformed, expired, someone else's) is of no use to this
   * client already, so nothing happens and no error is given, as OAuth's
   * token revocation does (RFC 7009): a 401 would read as "your access token
   * is dead", and the answer tells nothing about other users' tokens.
   */
  async revoke(userId: number, presented: string): Promise<void> {
    const match = REFRESH_TOKEN.exec(presented);
    if (!match) return;
    const token = await this.tokens.findOneBy({ id: match[1], tokenHash: sha256(match[2]), userId });
    if (token) await this.revokeFamily(token.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async issueInFamily(user: User, familyId: string): Promise<TokenPairDto> {
    const payload: AccessTokenPayload = { sub: user.id, role: user.role, username: user.username };
    const access = await this.jwt.signAsync(payload);
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await this.tokens.insert({
      id,
      userId: user.id,
      familyId,
      tokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
    });
    return { access, refresh: `${id}.${secret}` };
  }

  private parse(presented: string): { id: string; hash: string } {
    const match = REFRESH_TOKEN.exec(presented);
    if (!match) throw new NotAuthenticatedError('The refresh token is invalid.');
    return { id: match[1], hash: sha256(match[2]) };
  }
}
