import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { RouteMetadata } from '../route-metadata.js';
import { ThrottledError } from './throttled.error.js';

/**
 * The throttler guard, answering in the contract's shape: 429
 * `{"detail", "code": "throttled"}` with a plain `Retry-After` header (the
 * stock guard names it after the throttler, `Retry-After-auth-ip`). It reads
 * each route's throttler settings through `RouteMetadata`, which remembers them.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    metadata: RouteMetadata,
  ) {
    super(options, storage, metadata);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    throw new ThrottledError(retryAfter);
  }
}
