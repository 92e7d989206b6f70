import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { EntityManager } from 'typeorm';

export interface RequestContext {
  requestId?: string;
  /** The transaction the current request runs in, if any (see TransactionalConnection). */
  manager?: EntityManager;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runInContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * The id the HTTP logger gave the request (see http-logger.ts): on the Node.js
 * request, which Fastify's request wraps. Logs, the `X-Request-Id` header and
 * audit rows all carry it.
 */
export function requestIdOf(request: FastifyRequest | { raw?: unknown; id?: unknown }): string | undefined {
  const id = ((request as { raw?: { id?: unknown } }).raw ?? (request as { id?: unknown })).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Opens the per-request context every later step (guards, services, audit)
 * reads. A Fastify `preHandler` hook: it runs once the body is read, and the
 * route handler runs inside `done`.
 */
export function requestContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  storage.run({ requestId: requestIdOf(request) }, done);
}
