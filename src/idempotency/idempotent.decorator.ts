import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';

export const IDEMPOTENT = 'idempotent';

/**
 * Lets clients retry the route safely with an `Idempotency-Key` header: the
 * same key with the same body within 24 hours returns the first response.
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any unique string (a UUID) up to 255 characters. Retrying with the same key and body within 24 hours ' +
        'returns the first response without doing the work again (header `Idempotent-Replayed: true`).',
    }),
    ApiConflictResponse({ description: 'The key was used with a different request (idempotency_key_reused).', type: ErrorResponseDto }),
  );
