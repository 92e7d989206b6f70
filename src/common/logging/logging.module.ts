import { Injectable, Module } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { appConfig, type AppSettings } from '../../config/app.config.js';
import { APP_LOGGER, createAppLogger, LOG_DESTINATION, stdoutDestination } from './http-logger.js';

@Module({
  providers: [
    { provide: LOG_DESTINATION, useFactory: stdoutDestination },
    {
      provide: APP_LOGGER,
      inject: [appConfig.KEY, LOG_DESTINATION],
      useFactory: (config: AppSettings, destination: DestinationStream) => createAppLogger(config.logLevel, destination),
    },
  ],
  exports: [APP_LOGGER],
})
class AppLoggerModule {}

/**
 * Binds Nest's `Logger` to the request being served: every line it writes
 * while `work` runs carries the request's `reqId`. nestjs-pino's own
 * middleware does the same but runs through middie, Fastify's Express-style
 * middleware layer, on every request; a Fastify hook calling this does not
 * (README, Performance).
 */
@Injectable()
export class RequestLogContext {
  constructor(private readonly pino: PinoLogger) {}

  run<T>(requestId: string, work: () => T): T {
    return this.pino.runInContext(work, { bindings: { reqId: requestId } });
  }
}

/**
 * Structured JSON logs. The access log and each request's logger are Fastify
 * hooks installed first of all in `configureApp` (so every response, even a
 * refused body, gets a request id and an access-log line); nestjs-pino then
 * routes Nest's `Logger` through the same logger, bound to the current
 * request by `RequestLogContext` (no middleware: `forRoutes` is empty), so
 * each line carries its `reqId`.
 */
@Module({
  imports: [
    AppLoggerModule,
    LoggerModule.forRootAsync({
      imports: [AppLoggerModule],
      inject: [APP_LOGGER],
      useFactory: (logger: Logger) => ({ useExisting: true, pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  providers: [RequestLogContext],
  exports: [AppLoggerModule, RequestLogContext],
})
export class LoggingModule {}
