import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The whole runtime configuration, read once from the environment and
 * validated at start-up. A wrong value stops the process with a message that
 * names the variable, so an operator never finds out at the first request.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  pgliteDataDir: string;
  migrateOnStart: boolean;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  dbQueryTimeoutMs: number;
  jwt: {
    secret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  bcryptCost: number;
  swaggerEnabled: boolean;
  logLevel: string;
  orders: {
    /** PENDING orders older than this are cancelled by the system, releasing their stock. */
    pendingTtlSeconds: number;
    /** How often the expiry job looks for them. */
    expiryIntervalSeconds: number;
    maxOpenPerBuyer: number;
    maxQuantity: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `15m`, `7d`, `3600` (seconds) into whole seconds; undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const seconds = Math.floor(Number(match[1]) * UNIT_SECONDS[match[2] ?? 's']);
  return seconds > 0 ? seconds : undefined;
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  duration(name: string, fallback: string): number {
    const value = this.raw(name) ?? fallback;
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      this.problems.push(`${name} must be a duration such as 15m, 12h or 7d (got "${value}")`);
      return parseDuration(fallback)!;
    }
    return seconds;
  }

  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^postgres(ql)?:\/\/.+/.test(value)) {
      this.problems.push(`${name} must be a postgres:// URL`);
      return undefined;
    }
    return value;
  }
}

/**
 * Outside production an unset JWT_SECRET gets a random one that is kept next
 * to the embedded database, so tokens survive a restart and no shared default
 * secret exists anywhere.
 */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, '..', '.jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new Reader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const pgliteDataDir = resolve(read.string('PGLITE_DATA_DIR', './data/pglite'));

  let secret = read.raw('JWT_SECRET');
  if (secret !== undefined && secret.length < 32) {
    read.problems.push('JWT_SECRET must be at least 32 characters long');
  }
  if (secret === undefined) {
    if (nodeEnv === 'production') {
      read.problems.push('JWT_SECRET must be set in production (at least 32 random characters)');
    } else {
      secret = developmentSecret(pgliteDataDir);
    }
  }

  const config: AppConfig = {
    nodeEnv,
    host: read.string('HOST', '0.0.0.0'),
    port: read.int('PORT', 3000, 0, 65535),
    databaseUrl: read.url('DATABASE_URL'),
    pgliteDataDir,
    migrateOnStart: read.bool('MIGRATE_ON_START', false),
    dbPoolSize: read.int('DB_POOL_SIZE', 10, 1, 200),
    dbConnectTimeoutMs: read.duration('DB_CONNECT_TIMEOUT', '5s') * 1000,
    dbQueryTimeoutMs: read.duration('DB_QUERY_TIMEOUT', '30s') * 1000,
    jwt: {
      secret: secret ?? '',
      accessTtlSeconds: read.duration('JWT_ACCESS_TTL', '15m'),
      refreshTtlSeconds: read.duration('JWT_REFRESH_TTL', '7d'),
    },
    bcryptCost: read.int('BCRYPT_COST', nodeEnv === 'test' ? 4 : 12, 4, 15),
    swaggerEnabled: read.bool('SWAGGER_ENABLED', nodeEnv !== 'production'),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    orders: {
      pendingTtlSeconds: read.duration('ORDER_PENDING_TTL', '48h'),
      expiryIntervalSeconds: read.duration('ORDER_EXPIRY_INTERVAL', '60s'),
      maxOpenPerBuyer: read.int('MAX_OPEN_ORDERS_PER_BUYER', 10, 1, 10_000),
      maxQuantity: read.int('MAX_ORDER_QUANTITY', 100, 1, 1_000_000),
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
