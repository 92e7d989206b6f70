import type { IncomingMessage } from 'node:http';

export const API_PREFIX = '/api/v1';

interface Alias {
  method?: string;
  from: RegExp;
  to: string;
}

/**
 * Paths the original service also answered at. Each is rewritten to its
 * canonical `/api/v1/` route before routing, so it answers identically
 * (same guards, validation and body) and the OpenAPI document stays canonical.
 */
const ALIASES: Alias[] = [
  { from: /^\/api\/token\/refresh\/?$/, to: '/token/refresh/' },
  { from: /^\/api\/token\/?$/, to: '/login/' },
  { method: 'GET', from: /^\/api\/inventory\/?$/, to: '/gas/' },
  { from: /^\/api\/inventory\/my_inventory\/?$/, to: '/seller/inventory/' },
  { method: 'POST', from: /^\/api(\/v1)?\/seller\/inventory\/?$/, to: '/inventory/' },
  { from: /^\/api\/orders\/seller_orders\/?$/, to: '/seller/orders/' },
  { method: 'POST', from: /^\/api\/invoices\/?$/, to: '/seller/invoice/' },
  { method: 'POST', from: /^\/api\/ratings\/?$/, to: '/feedback/' },
];

/** Un-versioned `/api/...` paths other than the docs are the seed-compatible form of `/api/v1/...`. */
const UNVERSIONED = /^\/api\/(?!v1(\/|$)|docs)/;

export function canonicalPath(method: string, path: string): string {
  for (const alias of ALIASES) {
    if ((!alias.method || alias.method === method) && alias.from.test(path)) return API_PREFIX + alias.to;
  }
  if (UNVERSIONED.test(path)) return API_PREFIX + path.slice('/api'.length);
  return path;
}

const CLIENT_URL = Symbol('clientUrl');

/**
 * Fastify's `rewriteUrl`, before routing: the request's path made canonical,
 * its query kept. The URL the client asked for is kept for `clientUrlOf`.
 */
export function rewriteAliases(req: IncomingMessage): string {
  const url = req.url ?? '/';
  (req as IncomingMessage & { [CLIENT_URL]?: string })[CLIENT_URL] = url;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const canonical = canonicalPath(req.method ?? 'GET', path);
  return canonical === path ? url : canonical + (queryAt === -1 ? '' : url.slice(queryAt));
}

/** The URL as the client sent it, alias and all (paging links keep to it). */
export function clientUrlOf(req: IncomingMessage): string {
  return (req as IncomingMessage & { [CLIENT_URL]?: string })[CLIENT_URL] ?? req.url ?? '/';
}
