import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Actor } from '../common/auth/actor.js';
import { IdempotencyKeyReusedError, ValidationError } from '../common/errors.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { IdempotencyKey } from './idempotency-key.entity.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Runs an idempotent request and the storing of its response in one
 * transaction: the key row is inserted first, so a concurrent request with
 * the same key waits on it and then replays the stored response; if the
 * work fails or the process dies, the key goes with it and a retry does the
 * work. Keys live in PostgreSQL, so this holds across instances.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: TransactionalConnection,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Actor }>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw ValidationError.field('Idempotency-Key', 'Must be 1 to 255 printable ASCII characters without spaces.');
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = request.user ? `user:${request.user.id}` : 'anonymous';
    const path = request.url.split('?')[0].replace(/\/+$/, '');
    const hash = createHash('sha256').update(canonical({ method: request.method, path, body: request.body })).digest('hex');
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return from(this.run(scope, key, hash, status, reply, next));
  }

  private run(scope: string, key: string, hash: string, status: number, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    return this.db.transaction(async (em) => {
      await this.db.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at < now() - interval '24 hours'`, [
        scope,
        key,
      ]);
      const claimed = await this.db.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, hash],
      );
      if (claimed.length === 0) {
        const first = await em.findOneByOrFail(IdempotencyKey, { scope, key });
        if (first.requestHash !== hash) {
          throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request.');
        }
        reply.header('Idempotent-Replayed', 'true');
        return first.responseBody;
      }
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      await em.update(IdempotencyKey, { scope, key }, { statusCode: status, responseBody: body as object });
      return body;
    });
  }
}
