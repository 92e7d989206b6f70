import { HttpStatus } from '@nestjs/common';

export type FieldErrors = Record<string, string[]>;

/**
 * A failure the client can act on. Services throw these; the exception filter
 * turns each into the contract's `{detail, code}` body with its status.
 */
export abstract class DomainError extends Error {
  abstract readonly status: HttpStatus;
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly status = HttpStatus.BAD_REQUEST;
  readonly code = 'validation_error';
  constructor(readonly errors: FieldErrors, detail = 'Invalid input.') {
    super(detail);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class NotAuthenticatedError extends DomainError {
  readonly status = HttpStatus.UNAUTHORIZED;
  readonly code = 'not_authenticated';
  constructor(detail = 'Authentication credentials were not provided or are invalid.') {
    super(detail);
  }
}

export class PermissionDeniedError extends DomainError {
  readonly status = HttpStatus.FORBIDDEN;
  readonly code = 'permission_denied';
  constructor(detail = 'You do not have permission to perform this action.') {
    super(detail);
  }
}

export class NotFoundError extends DomainError {
  readonly status = HttpStatus.NOT_FOUND;
  readonly code = 'not_found';
  constructor(what = 'Resource') {
    super(`${what} not found.`);
  }
}

abstract class ConflictError extends DomainError {
  readonly status = HttpStatus.CONFLICT;
}

export class InvalidTransitionError extends ConflictError {
  readonly code = 'invalid_transition';
}

export class InsufficientStockError extends ConflictError {
  readonly code = 'insufficient_stock';
  constructor(available?: number) {
    super(
      available === undefined
        ? 'Not enough stock for this order.'
        : `Not enough stock for this order: ${available} unit(s) available.`,
    );
  }
}

export class AlreadyExistsError extends ConflictError {
  readonly code = 'already_exists';
}

export class InUseError extends ConflictError {
  readonly code = 'in_use';
}

export class PreconditionFailedError extends DomainError {
  readonly status = HttpStatus.PRECONDITION_FAILED;
  readonly code = 'precondition_failed';
  constructor(detail = 'The resource changed since you read it (If-Match does not match its ETag). Read it again and retry.') {
    super(detail);
  }
}

/** The same Idempotency-Key was sent with a different request. */
export class IdempotencyKeyReusedError extends ConflictError {
  readonly code = 'idempotency_key_reused';
}

/** A per-buyer limit (open orders, units per order) that keeps anyone from tying up a seller's stock. */
export class LimitExceededError extends ConflictError {
  readonly code = 'limit_exceeded';
}
