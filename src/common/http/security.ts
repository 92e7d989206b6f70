import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** JSON is never rendered, framed or a source of scripts: nothing may load from it. */
const apiHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
});

/**
 * Swagger UI is a page: helmet's default policy fits it (own scripts and
 * styles, inline styles, data: images) but without `upgrade-insecure-requests`,
 * which breaks the page when the API is served over plain HTTP (development).
 */
const docsHeaders = helmet({
  contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
});

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
  // helmet sets its headers on the Node.js response, which Fastify merges into every
  // response it sends: errors, 404s and refused bodies included.
  app.use((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) =>
    ((req.url ?? '').startsWith('/api/docs') ? docsHeaders : apiHeaders)(req, res, next),
  );
}
