import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { appConfig, type AppSettings } from '../../config/app.config.js';
import { createHttpLogger, HTTP_LOGGER, LOG_DESTINATION, stdoutDestination, type HttpLogger } from './http-logger.js';

@Module({
  providers: [
    { provide: LOG_DESTINATION, useFactory: stdoutDestination },
    {
      provide: HTTP_LOGGER,
      inject: [appConfig.KEY, LOG_DESTINATION],
      useFactory: (config: AppSettings, destination: DestinationStream) => createHttpLogger(config.logLevel, destination),
    },
  ],
  exports: [HTTP_LOGGER],
})
class HttpLoggerModule {}

/**
 * Structured JSON logs. The pino-http middleware is mounted first of all in
 * `configureApp` (so every response, even a rejected body, gets a request id
 * and an access-log line); nestjs-pino then routes Nest's `Logger` through the
 * same logger, bound to the current request, so each line carries its `reqId`.
 */
@Module({
  imports: [
    HttpLoggerModule,
    LoggerModule.forRootAsync({
      imports: [HttpLoggerModule],
      inject: [HTTP_LOGGER],
      useFactory: (http: HttpLogger) => ({ useExisting: true, pinoHttp: { logger: http.logger } }),
    }),
  ],
  exports: [HttpLoggerModule],
})
export class LoggingModule {}
