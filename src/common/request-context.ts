import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
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
 * Opens the per-request context every later step (services, audit) reads.
 * The request id is the one the HTTP logger gave the request (mounted first,
 * see app.setup.ts), so logs, the response header and audit rows agree.
 */
export function requestContext(req: Request, _res: Response, next: NextFunction): void {
  const id = (req as { id?: unknown }).id;
  storage.run({ requestId: typeof id === 'string' ? id : undefined }, next);
}
