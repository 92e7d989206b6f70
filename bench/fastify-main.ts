/**
 * The same AppModule on Nest's Fastify adapter, for `BENCH_FASTIFY=1` only:
 * measures what switching the HTTP adapter would gain on the bench
 * scenarios. It is not a supported way to run the API: the Express-specific
 * parts of src/app.setup.ts (seed-compatible URL aliases, body-parser error
 * shapes, Swagger) are left out, and the Express request/reply helpers the pagination interceptor and the exception filter use are shimmed
 * below. The scenarios
 * only use canonical paths and valid bodies, so they answer the same.
 */
import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module.js';
import { appConfig, type AppSettings } from '../src/config/app.config.js';

const adapter = new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true }, bodyLimit: 100 * 1024 });
const fastify = adapter.getInstance();
// PaginationInterceptor calls Express's request.get('host') and response.setHeader();
// AllExceptionsFilter calls response.status(...).json(...).
type Shim = (this: any, ...args: any[]) => unknown;
fastify.decorateRequest('get', function (this: { headers: Record<string, unknown> }, name: string) {
  return this.headers[name.toLowerCase()];
} as Shim);
fastify.decorateReply('setHeader', function (this: { header(k: string, v: string): unknown }, name: string, value: string) {
  this.header(name, value);
  return this;
} as Shim);
fastify.decorateReply('json', function (this: { type(t: string): { send(b: string): unknown } }, body: unknown) {
  return this.type('application/json; charset=utf-8').send(JSON.stringify(body));
} as Shim);

const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { logger: ['error', 'warn'] });
app.setGlobalPrefix('api/v1', {
  exclude: [
    { path: 'health/live', method: RequestMethod.GET },
    { path: 'health/ready', method: RequestMethod.GET },
  ],
});
app.enableShutdownHooks();
const config = app.get<AppSettings>(appConfig.KEY);
await app.listen(config.port, config.host);
