import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * Lets clients retry the route safely with an `Idempotency-Key` header: the
 * same key with the same body within 24 hours returns the first response
 * (IdempotencyInterceptor, on these routes only).
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (a UUID) up to 255 characters. Retrying with the same key and body within 24 hours ' +
        'returns the first response without doing the work again (header `Idempotent-Replayed: true`).',
    }),
    ApiConflictResponse({ description: 'The key was used with a different request (idempotency_key_reused).', type: ErrorResponseDto }),
  );
