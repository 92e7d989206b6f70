import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { applySecurity } from './common/http/security.js';
import { HTTP_LOGGER, type HttpLogger } from './common/logging/http-logger.js';
import { appConfig, type AppSettings } from './config/app.config.js';
import { urlAliases } from './common/http/url-aliases.js';
import { requestContext } from './common/request-context.js';

/** Sends a body-parser failure (invalid JSON, too large, bad charset) in the contract's shape. */
function bodyParserErrors(err: { status?: number; type?: string } | undefined, _req: Request, res: Response, next: NextFunction) {
  if (!err) return next();
  const status = err.status ?? 400;
  const byType: Record<string, [string, string]> = {
    'entity.too.large': ['payload_too_large', 'The request body is too large.'],
    'entity.parse.failed': ['validation_error', 'The request body is not valid JSON.'],
    'charset.unsupported': ['unsupported_media_type', 'Unsupported charset.'],
    'encoding.unsupported': ['unsupported_media_type', 'Unsupported content encoding.'],
  };
  const [code, detail] = byType[err.type ?? ''] ?? ['validation_error', 'Malformed request body.'];
  res.status(status >= 400 && status < 500 ? status : 400).json({ detail, code });
}

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
 * Everything about the HTTP layer that is not a Nest provider: shared by
 * `main.ts` and the end-to-end tests so both serve exactly the same app.
 */
export function configureApp(app: NestExpressApplication, options: { swagger: boolean }): void {
  const config = app.get<AppSettings>(appConfig.KEY);
  // First: every response, even a rejected body, gets a request id and an access-log line.
  app.use(app.get<HttpLogger>(HTTP_LOGGER));
  app.useLogger(app.get(Logger));
  applySecurity(app, config);
  app.disable('x-powered-by');
  app.set('strict routing', false);
  app.use(requestContext);
  app.use(urlAliases);
  app.use(express.json({ limit: config.http.bodyLimitBytes, type: ['application/json', 'application/*+json'] }), bodyParserErrors);
  app.use(express.urlencoded({ extended: false, limit: config.http.bodyLimitBytes }), bodyParserErrors);
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
