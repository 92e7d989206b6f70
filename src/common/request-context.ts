import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { EntityManager } from 'typeorm';

export interface RequestContext {
  requestId?: string;
  /** The transaction the current request runs in, if any (see TransactionalConnection). */
  manager?: EntityManager;
}

/**
 * The context of the work in progress: a write request's id, the transaction
 * it runs in. Node 20's AsyncLocalStorage carries it with an async hook that
 * runs on every promise made anywhere in the process while the storage is
 * enabled: 6-13 % of the gas list's CPU per request (docs/performance.md,
 * fifteenth pass). So it is enabled only while some context is open: the
 * contexts are counted, and when the last one closes the storage is
 * disabled, and the hook with it, until the next one opens. Reads open none
 * (`requestContext`), so while no write or job is in flight they run without
 * the hook.
 */
const storage = new AsyncLocalStorage<RequestContext>();
let open = 0;

function opened(): void {
  open++;
}

function closed(): void {
  if (--open === 0) storage.disable();
}

/** How many contexts are open: at 0 the storage, and Node's promise hook with it, is off. */
export function openContexts(): number {
  return open;
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `work` in `context`, which stays open until `work`, or the promise it returns, is done. */
export function runInContext<T>(context: RequestContext, work: () => T): T {
  opened();
  let result: T;
  try {
    result = storage.run(context, work);
  } catch (error) {
    closed();
    throw error;
  }
  if (result instanceof Promise) result.then(closed, closed);
  else closed();
  return result;
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

/** Methods that only read: their requests open no context. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Opens a write request's context, which every later step (guards, services,
 * transactions, audit rows, log lines) reads, until its response is done. A
 * Fastify `preHandler` hook: it runs once the body is read, and the route
 * handler runs inside `done`. A read opens none: it joins no transaction and
 * writes no audit row, and its error lines name its request themselves
 * (`AllExceptionsFilter`).
 */
export function requestContext(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (READ_METHODS.has(request.method)) return done();
  opened();
  reply.raw.once('close', closed);
  storage.run({ requestId: request.id }, done);
}
