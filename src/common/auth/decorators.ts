import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '../../users/role.js';
import { ErrorResponseDto } from '../dto/error-response.dto.js';
import type { Actor } from './actor.js';

export const IS_PUBLIC = 'isPublic';
export const ROLES = 'roles';

/** Opens a route to unauthenticated callers. A token, if sent and valid, is still read. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Narrows a route to the given roles (others get 403); without it any authenticated user passes. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    ApiForbiddenResponse({ description: `Only ${roles.join(', ')} may call this.`, type: ErrorResponseDto }),
  );

/** Documents the bearer requirement; the global guard enforces it. */
export const Authenticated = () =>
  applyDecorators(ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token.', type: ErrorResponseDto }));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | undefined => {
  return ctx.switchToHttp().getRequest().user ?? undefined;
});
