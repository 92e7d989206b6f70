import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '../common/auth/actor.js';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { UsersService } from '../users/users.service.js';
import { AccessTokenPayload, JWT_AUDIENCE, JWT_ISSUER } from './token.service.js';

/**
 * Verifies the access token (HS256 only, issuer and audience checked) and
 * reloads the user, so a deactivated user or a changed role takes effect at
 * the next request rather than when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(appConfig.KEY) config: AppSettings,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it
      // as a PEM public key on every request and only falls back to a secret after that
      // throws: about an eighth of the app's CPU on a list request (README, Performance).
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret)) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Actor | false> {
    if (!Number.isInteger(payload.sub)) return false;
    return (await this.users.findActor(payload.sub)) ?? false;
  }
}
