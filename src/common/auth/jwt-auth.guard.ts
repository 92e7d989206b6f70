import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccessTokenVerifier, bearerToken } from '../../auth/access-token-verifier.js';
import { UsersService } from '../../users/users.service.js';
import { NotAuthenticatedError } from '../errors.js';
import { RouteMetadata } from '../route-metadata.js';
import type { Actor } from './actor.js';
import { IS_PUBLIC } from './decorators.js';

/**
 * The one global authentication guard: every route needs a valid access token
 * unless it is marked `@Public()`. On a public route a valid token is still
 * read (so an admin can register another admin) and a bad one is ignored.
 *
 * The token is checked by the AccessTokenVerifier the rate limiter has already
 * used on this request (HS256 only, our issuer and audience, not expired), and
 * the user is reloaded on every request, so a deactivated user or a changed
 * role takes effect at the next request rather than when the token expires.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: RouteMetadata,
    private readonly tokens: AccessTokenVerifier,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    if (!isPublic) {
      request.user = await this.actorOf(request);
      return true;
    }
    if (request.headers.authorization) request.user = await this.actorOf(request).catch(() => undefined);
    return true;
  }

  /**
   * The caller, or 401 when the token is bad or its user is gone or
   * deactivated. A failure to load the user is not the caller's fault and
   * stays what it is (an outage 503, anything else 500): a 401 would tell a
   * client to drop a valid login.
   */
  private async actorOf(request: FastifyRequest): Promise<Actor> {
    const token = bearerToken(request.headers.authorization);
    const userId = token === undefined ? undefined : this.tokens.userIdOf(token);
    if (userId === undefined) throw new NotAuthenticatedError();
    const actor = await this.users.findActor(userId);
    if (!actor) throw new NotAuthenticatedError();
    return actor;
  }
}
