import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Role } from '../../users/role.js';
import { PermissionDeniedError } from '../errors.js';
import { RouteMetadata } from '../route-metadata.js';
import type { Actor } from './actor.js';
import { IS_PUBLIC, ROLES } from './decorators.js';

/** The one global role guard: `@Roles(...)` narrows a route; runs after `JwtAuthGuard`. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: RouteMetadata) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles || roles.length === 0) return true;
    const actor: Actor | undefined = context.switchToHttp().getRequest().user;
    if (!actor && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (!actor || !roles.includes(actor.role)) throw new PermissionDeniedError();
    return true;
  }
}
