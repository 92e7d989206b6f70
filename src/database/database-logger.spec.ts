import { Logger, type LoggerService } from '@nestjs/common';
import { DatabaseLogger } from './database-logger.js';

describe('DatabaseLogger', () => {
  const lines: { level: string; message: string; context?: string }[] = [];
  const capture = (level: string) => (message: string, context?: string) => lines.push({ level, message, context });
  const service: LoggerService = { log: capture('log'), warn: capture('warn'), error: capture('error'), debug: capture('debug'), verbose: capture('verbose') };

  beforeAll(() => Logger.overrideLogger(service));
  afterAll(() => Logger.overrideLogger(true));
  beforeEach(() => (lines.length = 0));

  it('logs a failed statement as a warning with its text, never its parameters', () => {
    const insert = 'INSERT INTO "users"("username", "email", "password")\n      VALUES ($1, $2, $3)';
    const parameters = ['racer', 'racer@example.com', '$2b$12$tkTlHashOfThePassword'];
    new DatabaseLogger().logQueryError(new Error('duplicate key value violates unique constraint "UQ_users_username"'), insert, parameters);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'statement failed: duplicate key value violates unique constraint "UQ_users_username" (INSERT INTO "users"("username", "email", "password") VALUES ($1, $2, $3))',
        context: 'Database',
      },
    ]);
    for (const value of parameters) expect(JSON.stringify(lines)).not.toContain(value);
  });

  it('cuts a long statement short, logs no statement that succeeded, and passes warnings and migrations on', () => {
    const logger = new DatabaseLogger();
    logger.logQuery('SELECT 1', ['secret']);
    logger.logQuerySlow(1200, `SELECT ${'x, '.repeat(200)}1`, ['secret']);
    logger.log('info', 'chatter');
    logger.log('warn', 'Postgres pool raised an error. Error: terminating connection');
    logger.logMigration('Migration StoredListJson1764900000000 has been executed successfully.');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'log']);
    expect(lines[0].message).toMatch(/^slow statement \(1200 ms\): SELECT x, x, .*…$/);
    expect(lines[0].message.length).toBeLessThan(340);
    expect(lines[1].message).toBe('Postgres pool raised an error. Error: terminating connection');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
