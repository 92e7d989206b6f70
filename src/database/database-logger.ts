import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/** A statement's text on one line, cut short: enough to tell which one failed. */
const statementOf = (query: string) => {
  const text = query.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/**
 * TypeORM's own lines through the app's logger (JSON lines in the server),
 * with a failed statement's text but never its parameters: they hold
 * password hashes, emails and phone numbers. TypeORM's console logger wrote
 * them all, as plain text, for every failed statement (a lost race for a
 * username, say). Statements are not logged one by one; a request whose
 * failure becomes a 500 is logged by the exceptions filter as well.
 */
export class DatabaseLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(_query: string, _parameters?: unknown): void {}

  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    this.logger.warn(`statement failed: ${typeof error === 'string' ? error : error.message} (${statementOf(query)})`);
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown): void {
    this.logger.warn(`slow statement (${time} ms): ${statementOf(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
