import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
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
 * Structured JSON logs. The access log is a Fastify hook installed first of
 * all in `configureApp` (so every response, even a refused body, gets a
 * request id and an access-log line); nestjs-pino routes Nest's `Logger`
 * through the same logger. Its middleware, which would keep each request's
 * logger in an AsyncLocalStorage of its own, is not mounted (`forRoutes: []`):
 * the root logger's mixin already stamps each line with the id of the
 * write request it is logged in, from the app's one request context, and a second
 * AsyncLocalStorage made every promise of every request cost more (docs/performance.md,
 * seventh pass).
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
  exports: [AppLoggerModule],
})
export class LoggingModule {}
