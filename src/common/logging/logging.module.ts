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
 * Structured JSON logs. The access log and each request's logger are Fastify
 * hooks installed first of all in `configureApp` (so every response, even a
 * refused body, gets a request id and an access-log line); nestjs-pino then
 * routes Nest's `Logger` through the same logger, bound to the current
 * request, so each line carries its `reqId`.
 */
@Module({
  imports: [
    AppLoggerModule,
    LoggerModule.forRootAsync({
      imports: [AppLoggerModule],
      inject: [APP_LOGGER],
      useFactory: (logger: Logger) => ({ useExisting: true, pinoHttp: { logger } }),
    }),
  ],
  exports: [AppLoggerModule],
})
export class LoggingModule {}
