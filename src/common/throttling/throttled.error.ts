import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors.js';

export class ThrottledError extends DomainError {
  readonly status = HttpStatus.TOO_MANY_REQUESTS;
  readonly code = 'throttled';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`);
  }
}
