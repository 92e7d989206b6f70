import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { appConfig, type AppSettings } from './config/app.config.js';
import { describeFailure } from './common/describe-failure.js';
import { createAppLogger, StartupLogger, stdoutDestination } from './common/logging/http-logger.js';
import { ConfigError, loadConfig } from './config/configuration.js';

async function bootstrap(): Promise<void> {
  const settings = loadConfig(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(settings), {
    // JSON lines from the first one; configureApp then hands Nest the app's own logger.
    logger: new StartupLogger(createAppLogger(settings.logLevel, stdoutDestination())),
    // A failure to start rejects, so the catch below can say why in one line.
    abortOnError: false,
  });
  // On SIGTERM: drain requests in flight (GracefulShutdown), close the pool, then exit 0
  // instead of re-raising the signal. Registered before configureApp's own call, which it makes a no-op.
  app.enableShutdownHooks([], { useProcessExit: true });
  const config = app.get<AppSettings>(appConfig.KEY);
  configureApp(app, { swagger: config.swaggerEnabled });
  await app.listen(config.port, config.host);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const base = `http://${shown}:${config.port}`;
  const logger = new Logger('Bootstrap');
  logger.log(`API:  ${base}/api/v1/`);
  if (config.swaggerEnabled) logger.log(`Docs: ${base}/api/docs`);
}

bootstrap().catch((error: unknown) => {
  if ((error as { code?: string }).code === 'EADDRINUSE') {
    console.error(`The port is already in use (${(error as Error).message}). Stop the other process or set PORT.`);
  } else {
    console.error(error instanceof ConfigError ? error.message : `The server did not start: ${describeFailure(error)}`);
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  }
  process.exit(1);
});
