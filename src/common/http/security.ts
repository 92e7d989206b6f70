import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
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
 * Client address, CORS and security headers. CORS is off unless
 * CORS_ORIGINS lists origins: no `Access-Control-*` header, so browsers keep
 * other sites' pages out (same-origin only).
 */
export function applySecurity(app: NestExpressApplication, config: AppSettings): void {
  app.set('trust proxy', config.http.trustProxy);
  const origins = config.http.corsOrigins;
  if (origins.length > 0) {
    app.enableCors({
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') ? docsHeaders : apiHeaders)(req, res, next),
  );
}
