import type { LoggerService } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, parseEnv, type ParseArgsConfig } from 'node:util';
import { describeFailure } from '../common/describe-failure.js';
import { nestContextOf } from '../common/logging/nest-context.js';
import { loadConfig, type AppConfig } from '../config/configuration.js';

/**
 * What the operators' scripts (`migration:*`, `create-admin`, `seed`,
 * `stock:verify`) share: they read `.env` as the server does, explain a
 * failure in a line an operator can act on, and exit with a code a deploy
 * script can test.
 */

/** A wrong command line: the script prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/** The command line's options, strictly: an unknown option or a stray argument is a UsageError. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A `.env` in the working directory, as the server reads it; variables already set win. */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env): void {
  const file = resolve('.env');
  if (!existsSync(file)) return;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) env[name] ??= value;
}

/**
 * The configuration of a script that signs no token (migrations, the stock
 * check): a stand-in secret spares it the real one, in a container that
 * should not hold it, and keeps it from writing a development secret. A
 * JWT_SECRET that is set is still validated.
 */
export function loadConfigWithoutSecret(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig({ ...env, JWT_SECRET: env.JWT_SECRET || 'unused-by-this-script-'.padEnd(32, '-') });
}

/**
 * Nest's logger for a script that starts the application's modules: its
 * warnings and errors on stderr as `[context] message`, without stacks (a
 * failure ends with runCli's one line saying why); nothing below a warning.
 */
export const scriptLogger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown, ...params: unknown[]) => console.error(lineOf(message, params)),
  error: (message: unknown, ...params: unknown[]) => console.error(lineOf(message, params)),
};

function lineOf(message: unknown, params: unknown[]): string {
  const context = nestContextOf(params);
  return context === undefined ? String(message) : `[${context}] ${String(message)}`;
}

export interface CliOptions {
  /** Names the script in its failure line ("<name> failed: ..."). */
  name: string;
  /** Printed after a UsageError's message. */
  usage?: string;
  /** The exit code of a failure, when 1 means something else (stock:verify: 1 is "mismatches found"). */
  failureCode?: number;
}

/**
 * Runs a script's `main` and exits: with the code it returns (0 when it
 * returns nothing), 2 after a UsageError with the usage, else `failureCode`
 * after one line naming the failure (the stack too with DEBUG set).
 */
export function runCli(options: CliOptions, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(options.usage ? `${error.message}\n\n${options.usage}` : error.message);
        process.exit(2);
      }
      console.error(`${options.name} failed: ${describeFailure(error)}`);
      if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
      process.exit(options.failureCode ?? 1);
    },
  );
}
