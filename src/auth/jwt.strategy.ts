import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '../common/auth/actor.js';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { UsersService } from '../users/users.service.js';
import { accessTokenChecks, AccessTokenPayload } from './token.service.js';

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
    const { key, ...checks } = accessTokenChecks(config.jwt.secret);
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: key, ...checks, ignoreExpiration: false });
  }

  async validate(payload: AccessTokenPayload): Promise<Actor | false> {
    if (!Number.isInteger(payload.sub)) return false;
    return (await this.users.findActor(payload.sub)) ?? false;
  }
}
