import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { NotAuthenticatedError } from '../errors.js';
import { isDatabaseUnavailable } from '../http/all-exceptions.filter.js';
import { IS_PUBLIC } from './decorators.js';

/**
 * The one global authentication guard: every route needs a valid access token
 * unless it is marked `@Public()`. On a public route a valid token is still
 * read (so an admin can register another admin) and a bad one is ignored.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (!isPublic) return (await super.canActivate(context)) as boolean;
    const request = context.switchToHttp().getRequest();
    if (!request.headers.authorization) return true;
    try {
      await super.canActivate(context);
    } catch {
      request.user = undefined;
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T | false): T {
    // A database outage while loading the user is a 503, not the caller's fault.
    if (err && isDatabaseUnavailable(err)) throw err;
    if (err || !user) throw new NotAuthenticatedError();
    return user;
  }
}
