import { DomainError } from './errors.js';
import { ConfigError } from '../config/configuration.js';

/** The driver's error code, whether TypeORM wrapped the error or not. */
const codeOf = (error: unknown) =>
  (error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;

/** Database errors that trying again will not fix: the server should stop at once, saying why. */
export const isPermanentDatabaseError = (error: unknown) => ['3D000', '28P01', '28000', 'ENOTFOUND'].includes(codeOf(error) ?? '');

/**
 * A failure in one line an operator can act on: the configuration's or the
 * domain's own message, or what to do about a database that is missing,
 * unreachable or refusing the credentials. Used by the server when it cannot
 * start and by the operator scripts.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DomainError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  switch (codeOf(error)) {
    case '42P01':
      return 'the database has no schema yet; run `npm run migration:run` first.';
    case 'ECONNREFUSED':
      return `cannot reach the database (${message}); is DATABASE_URL right and the server up?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the database's host (${message}); is DATABASE_URL right?`;
    case '3D000':
      return `${message}; create it, or point DATABASE_URL at one that exists.`;
    case '28P01':
    case '28000':
      return `the database refused the connection (${message}); check DATABASE_URL's user and password.`;
    default:
      return message;
  }
}
