import type { IncomingMessage } from 'node:http';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { useBodyParsers } from './common/http/body-parsers.js';
import { usePageReplies } from './common/http/page-replies.js';
import { applySecurity } from './common/http/security.js';
import { rewriteAliases } from './common/http/url-aliases.js';
import { APP_LOGGER, useAccessLog } from './common/logging/http-logger.js';
import { requestContext, requestIdFor } from './common/request-context.js';
import { appConfig, type AppSettings } from './config/app.config.js';
import type { AppConfig } from './config/configuration.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Gas stock API')
    .setDescription(
      'Stock, orders, invoices, payments and ratings for LPG cylinder distributors. ' +
        'Every path is also served without `v1` under `/api/` for clients of the original service.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Path ids are typed `number` in TypeScript; on the wire they are integers (ParseIdPipe).
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of (operation as { parameters?: { in: string; schema?: { type?: string } }[] }).parameters ?? []) {
        if (parameter.in === 'path' && parameter.schema?.type === 'number') parameter.schema.type = 'integer';
      }
    }
  }
  return document;
}

/**
 * TRUST_PROXY for Fastify. A hop count trusts that many proxies in front of
 * the app, as Express did; Fastify, given a bare number, trusts none.
 */
function trustedProxies(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * The HTTP server: Fastify (measured against Express on the bench: about an
 * eighth less CPU per request; docs/performance.md). Every path answers
 * with and without its trailing slash, the original service's paths are
 * rewritten to their canonical route before routing, and the body limit and
 * proxy trust come from the configuration.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // Node's own limit for receiving a whole request, which Express kept and Fastify turns off:
    // a client trickling a request in cannot hold a connection for ever.
    requestTimeout: 300_000,
    trustProxy: trustedProxies(config.http.trustProxy),
    routerOptions: { ignoreTrailingSlash: true },
    rewriteUrl: rewriteAliases,
    // Router errors (undecodable or overlong path segments: all our path parameters are ids)
    // in the contract's shape, like the ids ParseIdPipe refuses.
    frameworkErrors: (_error: Error, _request: unknown, reply: FastifyReply) =>
      void reply
        .status(400)
        .type('application/json; charset=utf-8')
        .send({ detail: 'Invalid input.', code: 'validation_error', errors: { id: ['Must be a positive integer.'] } }),
    // The client's X-Request-Id when sane, else a new UUID: logs, the response header and audit rows carry it.
    genReqId: (req: IncomingMessage) => requestIdFor(req.headers['x-request-id']),
  });
}

/**
 * Everything about the HTTP layer that is not a Nest provider: shared by
 * `main.ts` and the end-to-end tests so both serve exactly the same app.
 */
export function configureApp(app: NestFastifyApplication, options: { swagger: boolean }): void {
  const config = app.get<AppSettings>(appConfig.KEY);
  // First: every response, even a refused body, gets a request id and an access-log line.
  useAccessLog(app, app.get<Logger>(APP_LOGGER));
  app.useLogger(app.get(NestPinoLogger));
  applySecurity(app, config);
  const fastify = app.getHttpAdapter().getInstance();
  useBodyParsers(app);
  usePageReplies(app);
  // After the body is read, so the whole of guards, pipes, handler and filters runs in it.
  fastify.addHook('preHandler', requestContext);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();
  if (options.swagger) {
    const document = buildOpenApiDocument(app);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  }
}
