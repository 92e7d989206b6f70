import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../common/errors.js';
import { ConfigError } from '../config/configuration.js';
import { describeFailure } from '../common/describe-failure.js';
import { loadDotEnv, parseCommandLine, UsageError } from './cli.js';

describe('operator scripts', () => {
  describe('loadDotEnv', () => {
    const cwd = process.cwd();
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'gas-cli-'));
      process.chdir(dir);
    });
    afterEach(() => {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
      delete process.env.GAS_CLI_SPEC_FROM_FILE;
      delete process.env.GAS_CLI_SPEC_ALREADY_SET;
    });

    it('reads the working directory’s .env, and a variable already set wins', () => {
      writeFileSync(join(dir, '.env'), 'GAS_CLI_SPEC_FROM_FILE=from-file\nGAS_CLI_SPEC_ALREADY_SET=from-file\n');
      process.env.GAS_CLI_SPEC_ALREADY_SET = 'from-shell';
      loadDotEnv();
      expect(process.env.GAS_CLI_SPEC_FROM_FILE).toBe('from-file');
      expect(process.env.GAS_CLI_SPEC_ALREADY_SET).toBe('from-shell');
    });

    it('does nothing without a .env', () => {
      expect(() => loadDotEnv()).not.toThrow();
      expect(process.env.GAS_CLI_SPEC_FROM_FILE).toBeUndefined();
    });
  });

  describe('parseCommandLine', () => {
    const options = { username: { type: 'string', short: 'u' }, help: { type: 'boolean' } } as const;

    it('reads the options it is given', () => {
      expect(parseCommandLine(['-u', 'amina', '--help'], options).values).toEqual({ username: 'amina', help: true });
    });

    it('turns an unknown option or a stray argument into a usage error', () => {
      expect(() => parseCommandLine(['--usernme', 'amina'], options)).toThrow(UsageError);
      expect(() => parseCommandLine(['amina'], options)).toThrow(UsageError);
    });
  });

  describe('describeFailure', () => {
    it('gives the configuration’s and the domain’s own messages', () => {
      expect(describeFailure(new ConfigError(['JWT_SECRET: must be at least 32 characters']))).toBe(
        'Invalid configuration:\n  - JWT_SECRET: must be at least 32 characters',
      );
      expect(describeFailure(new NotFoundError('User'))).toBe('User not found.');
    });

    it('says to migrate when a table is missing, from the driver or from TypeORM', () => {
      const fromDriver = Object.assign(new Error('relation "users" does not exist'), { code: '42P01' });
      const fromTypeorm = Object.assign(new Error('relation "users" does not exist'), { driverError: { code: '42P01' } });
      for (const error of [fromDriver, fromTypeorm]) {
        expect(describeFailure(error)).toBe('the database has no schema yet; run `npm run migration:run` first.');
      }
    });

    it('says which database could not be reached', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
      expect(describeFailure(refused)).toBe(
        'cannot reach the database (connect ECONNREFUSED 127.0.0.1:5999); is DATABASE_URL right and the server up?',
      );
    });

    it('says what to do about a database that does not exist, a host that does not resolve, or refused credentials', () => {
      const missing = Object.assign(new Error('database "gas" does not exist'), { code: '3D000' });
      expect(describeFailure(missing)).toBe('database "gas" does not exist; create it, or point DATABASE_URL at one that exists.');
      const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND' });
      expect(describeFailure(unknownHost)).toBe("cannot find the database's host (getaddrinfo ENOTFOUND db.internal); is DATABASE_URL right?");
      const refused = Object.assign(new Error('password authentication failed for user "gas"'), { code: '28P01' });
      expect(describeFailure(refused)).toBe(
        `the database refused the connection (password authentication failed for user "gas"); check DATABASE_URL's user and password.`,
      );
    });

    it('falls back to the message, or the value thrown', () => {
      expect(describeFailure(new Error('disk full'))).toBe('disk full');
      expect(describeFailure('plain text')).toBe('plain text');
    });
  });
});
