import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';

export interface TestApp {
  app: NestExpressApplication;
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
  let app: NestExpressApplication;
  try {
    const builder = Test.createTestingModule({ imports: [AppModule] });
    const moduleRef = await (options.override ? options.override(builder) : builder).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
    configureApp(app, { swagger: true });
    await app.init();
  } finally {
    setEnv(previousEnv);
  }
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}
