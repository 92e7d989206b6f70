import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldErrors } from '../errors.js';

interface ErrorBody {
  detail: string;
  code: string;
  errors?: FieldErrors;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'validation_error',
  401: 'not_authenticated',
  403: 'permission_denied',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'throttled',
  503: 'service_unavailable',
};

/** PostgreSQL errors a well-behaved service should have prevented; mapped rather than leaked as 500. */
const PG_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  '23505': { status: 409, code: 'already_exists', detail: 'A record with these values already exists.' },
  '23514': { status: 409, code: 'conflict', detail: 'The change would break a data rule.' },
  '22P02': { status: 400, code: 'validation_error', detail: 'Malformed value.' },
  '22003': { status: 400, code: 'validation_error', detail: 'A number is out of range.' },
};

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection refused|Driver not Connected/i;

/** The database is unreachable (down, restarting, network cut): the request may be retried later. */
function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown })?.driverError, (error as { cause?: unknown })?.cause];
  return candidates.some((e) => {
    if (!e || typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    return (typeof code === 'string' && CONNECTION_CODES.has(code)) || (typeof message === 'string' && CONNECTION_MESSAGES.test(message));
  });
}

/**
 * Every error leaves the API in the contract's single shape
 * `{detail, code, errors?}`. Unknown errors become a bare 500 and are logged
 * with the request id; stack traces and SQL never reach the body.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const { status, body } = this.toResponse(exception, request);
    if (reply.sent) return;
    if (status === HttpStatus.SERVICE_UNAVAILABLE) reply.header('Retry-After', '5');
    void reply.status(status).type('application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const body: ErrorBody = { detail: exception.message, code: exception.code };
      if ('errors' in exception) body.errors = (exception as { errors: FieldErrors }).errors;
      return { status: exception.status, body };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 400 && /^Failed to decode param/.test(exception.message)) {
        return { status, body: { detail: 'Invalid input.', code: 'validation_error', errors: { id: ['Must be a positive integer.'] } } };
      }
      return { status, body: { detail: this.detailOf(exception), code: CODE_BY_STATUS[status] ?? 'error' } };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ reqId: request.id }, `Database unavailable: ${(exception as Error).message}`);
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: { detail: 'The service is temporarily unavailable; retry shortly.', code: 'service_unavailable' },
      };
    }
    const pgCode = exception instanceof QueryFailedError ? (exception.driverError as { code?: string })?.code : undefined;
    if (pgCode && PG_ERRORS[pgCode]) {
      const { status, code, detail } = PG_ERRORS[pgCode];
      return { status, body: { detail, code } };
    }
    // The request's id (the client's X-Request-Id only when sane; see requestIdFor), named here rather
    // than left to the logger's mixin: a read runs outside any request context (request-context.ts).
    const requestId = request.id;
    this.logger.error(
      { err: exception, reqId: requestId, requestId, method: request.method, url: request.originalUrl },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { detail: 'Internal server error.', code: 'internal_error' },
    };
  }

  private detailOf(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message.endsWith('.') ? message : `${message}.`;
    if (Array.isArray(message)) return message.join('; ');
    return exception.message;
  }
}
