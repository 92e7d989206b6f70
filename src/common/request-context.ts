import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
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

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request id a client sent in `X-Request-Id` when it is sane, else a new one. */
export function requestIdOf(req: Request): string {
  const existing = (req as { id?: unknown }).id;
  if (typeof existing === 'string' && SANE_REQUEST_ID.test(existing)) return existing;
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Opens the per-request context every later step (services, audit, logs) reads. */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdOf(req);
  (req as { id?: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId }, next);
}
