import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
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

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * A request's id (Fastify's `genReqId`, see app.setup.ts): the client's
 * `X-Request-Id` when it is a sane value, so a caller can follow its request
 * through our logs, else a new UUID. Anything else is replaced: a header is
 * attacker-controlled and ends up in every log line and audit row.
 */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Opens the per-request context every later step (guards, services, audit)
 * reads. A Fastify `preHandler` hook: it runs once the body is read, and the
 * route handler runs inside `done`.
 */
export function requestContext(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  storage.run({ requestId: request.id }, done);
}
