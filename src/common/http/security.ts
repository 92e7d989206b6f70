import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import type { AppSettings } from '../../config/app.config.js';

/** Response headers a browser client on another origin may read. */
export const EXPOSED_HEADERS = [
  'X-Total-Count',
  'Link',
  'X-Request-Id',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'ETag',
];

type HelmetMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The headers a helmet middleware sets. Ours carry no per-request value (no
 * CSP nonces), so helmet runs once, at start, against a recording response,
 * and every request gets the recorded set: the same headers as running helmet
 * per request, at a fraction of the cost (docs/performance.md).
 */
export function headersSetBy(middleware: HelmetMiddleware): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return headers;
}

/** JSON is never rendered, framed or a source of scripts: nothing may load from it. */
const apiHeaders = headersSetBy(
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
  }),
);

/**
 * Swagger UI is a page: helmet's default policy fits it (own scripts and
 * styles, inline styles, data: images) but without `upgrade-insecure-requests`,
 * which breaks the page when the API is served over plain HTTP (development).
 */
const docsHeaders = headersSetBy(
  helmet({
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
  }),
);

/**
 * CORS and security headers. CORS is off unless
 * CORS_ORIGINS lists origins: no `Access-Control-*` header, so browsers keep
 * other sites' pages out (same-origin only).
 */
export function applySecurity(app: NestFastifyApplication, config: AppSettings): void {
  // Proxy trust (TRUST_PROXY) is a Fastify option: see createHttpAdapter in app.setup.ts.
  const origins = config.http.corsOrigins;
  if (origins.length > 0) {
    app.enableCors({
      origin: origins.includes('*') ? '*' : origins,
      // Strings, sent as they are: `a,b,c` (@fastify/cors joins lists with ', ').
      methods: 'GET,HEAD,POST,PUT,PATCH,DELETE',
      exposedHeaders: EXPOSED_HEADERS.join(','),
      maxAge: 600,
    });
  }
  // Set on the reply as the request arrives: Fastify keeps them on every response it
  // sends, errors, 404s and refused bodies included.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      reply.headers(request.url.startsWith('/api/docs') ? docsHeaders : apiHeaders);
      done();
    });
}
