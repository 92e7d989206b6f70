import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/configuration.js';
import { UsersService, type AdminSpec } from '../users/users.service.js';
import { loadDotEnv, parseCommandLine, runCli, scriptLogger, UsageError } from './cli.js';

/**
 * `npm run create-admin -- --username U --email E [--password P]`: creates an
 * admin, or promotes the existing user with that username (the equivalent of
 * Django's `createsuperuser`). The password may come from ADMIN_PASSWORD
 * instead, which keeps it out of the shell history.
 */

const USAGE = `Usage:
  npm run create-admin -- --username <name> --email <address> [--password <password>]
  (without npm: node dist/src/scripts/create-admin.js --username ... --email ...)

  --password  at least 8 characters; defaults to the ADMIN_PASSWORD environment variable.
              When the username exists, that user becomes an active admin and gets this password.`;

/** Reads and checks the command line; never echoes the password. */
function parseAdminArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): AdminSpec | 'help' {
  const { values } = parseCommandLine(argv, {
    username: { type: 'string', short: 'u' },
    email: { type: 'string', short: 'e' },
    password: { type: 'string', short: 'p' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';

  const username = values.username?.trim() ?? '';
  const email = values.email?.trim() ?? '';
  const password = values.password ?? env.ADMIN_PASSWORD ?? '';
  const problems: string[] = [];
  if (!username) problems.push('--username is required');
  else if (!/^[\w.@+-]{1,150}$/.test(username)) problems.push('--username may contain only letters, digits and @ . + - _ (at most 150)');
  if (!email) problems.push('--email is required');
  else if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) problems.push('--email must be an email address');
  if (!password) problems.push('a password is required: --password, or the ADMIN_PASSWORD environment variable');
  else if (password.length < 8 || password.length > 128) problems.push('the password must be 8 to 128 characters long');
  else if (!/\S/.test(password) || !/\D/.test(password)) problems.push('the password must not be blank or entirely numeric');
  else if ([username, email].some((v) => v && v.toLowerCase() === password.toLowerCase())) {
    problems.push('the password must not be the username or the email');
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { username, email, password };
}

/** Creates or promotes the admin; the logic lives in UsersService. */
async function createAdmin(users: UsersService, spec: AdminSpec): Promise<string> {
  const { user, created, wasAdmin } = await users.createOrPromoteAdmin(spec);
  if (created) return `Created admin ${user.username} (id ${user.id})`;
  return wasAdmin ? `Set a new password for admin ${user.username} (id ${user.id})` : `Promoted ${user.username} to admin (id ${user.id})`;
}

async function main(): Promise<void> {
  const spec = parseAdminArgs(process.argv.slice(2));
  if (spec === 'help') {
    console.log(USAGE);
    return;
  }
  loadDotEnv();
  loadConfig(); // a configuration error reads better here than from inside Nest's start-up
  const app = await NestFactory.createApplicationContext(AppModule, { logger: scriptLogger, abortOnError: false });
  try {
    console.log(await createAdmin(app.get(UsersService), spec));
  } finally {
    await app.close();
  }
}

runCli({ name: 'create-admin', usage: USAGE }, main);
