import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/configuration.js';

/** A route as Fastify registered it: `method` is one method or the list a route serves. */
export interface ServedRoute {
  method: string | string[];
  url: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  /** Every route the HTTP server registered (Nest's, Swagger's), for coverage checks. */
  routes: ServedRoute[];
  http: ReturnType<typeof request>;
  db: DataSource;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables in force while the app reads its configuration; restored afterwards. */
  env?: Record<string, string | undefined>;
  /** Replaces providers (e.g. the log destination). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

function setEnv(vars: Record<string, string | undefined>): Record<string, string | undefined> {
  const previous: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(vars)) {
    previous[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return previous;
}

/** The real application (same module, same HTTP setup as main.ts) on the run's test database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const previousEnv = setEnv(options.env ?? {});
  let app: NestFastifyApplication;
  const routes: ServedRoute[] = [];
  try {
    const builder = Test.createTestingModule({ imports: [AppModule] });
    const moduleRef = await (options.override ? options.override(builder) : builder).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(loadConfig(process.env)), { logger: ['error', 'warn'] });
    app.getHttpAdapter().getInstance().addHook('onRoute', ({ method, url }) => void routes.push({ method, url }));
    configureApp(app, { swagger: true });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } finally {
    setEnv(previousEnv);
  }
  return {
    app,
    routes,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}
