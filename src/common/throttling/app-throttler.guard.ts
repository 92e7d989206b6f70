import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ThrottledError } from './throttled.error.js';

/**
 * The throttler guard, answering in the contract's shape: 429
 * `{"detail", "code": "throttled"}` with a plain `Retry-After` header (the
 * stock guard names it after the throttler, `Retry-After-auth-ip`).
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    throw new ThrottledError(retryAfter);
  }
}
