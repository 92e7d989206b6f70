import { applyDecorators, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error-response.dto.js';
import { routeMetadata } from '../route-metadata.js';

const AUTH_THROTTLE = 'throttle:auth';

/**
 * A credential-guessing target (login, register): limited per client IP and
 * per submitted username instead of by the general per-user limit.
 */
export const AuthThrottle = () =>
  applyDecorators(
    SetMetadata(AUTH_THROTTLE, true),
    ApiTooManyRequestsResponse({
      description: 'Too many attempts from this address or for this username (throttled); see Retry-After.',
      type: ErrorResponseDto,
    }),
  );

export function isAuthThrottled(context: ExecutionContext): boolean {
  return routeMetadata.getAllAndOverride<boolean>(AUTH_THROTTLE, [context.getHandler(), context.getClass()]) === true;
}
