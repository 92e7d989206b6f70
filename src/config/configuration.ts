import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
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
  /** The busy reads as named statements, planned once per connection (off behind PgBouncer's transaction pooling before 1.21). */
  dbPreparedStatements: boolean;
  /** The users behind access tokens remembered between requests while PostgreSQL announces their changes (ActorCache). */
  userCache: {
    enabled: boolean;
    /** How long one user is trusted without being read again, should an announcement be lost. */
    maxAgeMs: number;
  };
  jwt: {
    secret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  bcryptCost: number;
  http: {
    /** Origins allowed to call the API from a browser (CORS); empty: same-origin only. */
    corsOrigins: string[];
    /** Express `trust proxy`: false (the socket address is the client), a hop count, or trusted addresses. */
    trustProxy: boolean | number | string[];
    bodyLimitBytes: number;
    /** How long SIGTERM waits for requests in flight before closing their connections. */
    shutdownTimeoutMs: number;
  };
  throttle: {
    /** Every route but login, register and health: per user (per IP when anonymous). */
    limit: number;
    ttlSeconds: number;
    /** Login and register: per client IP and, separately, per submitted username. */
    authLimit: number;
    authTtlSeconds: number;
    /** Counters live in Redis when set (shared by every instance), else in this process. */
    redisUrl: string | undefined;
    redisPrefix: string;
  };
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
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `15m`, `7d`, `3600` (seconds) into milliseconds; undefined when malformed or zero. */
export function parseDurationMs(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 's'];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** Parses `15m`, `7d`, `3600` (seconds) into whole seconds; undefined when malformed or under a second. */
export function parseDuration(value: string): number | undefined {
  const ms = parseDurationMs(value);
  return ms !== undefined && ms >= 1000 ? Math.floor(ms / 1000) : undefined;
}

type Env = Record<string, string | undefined>;

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** Parses `100kb`, `1mb`, `512` (bytes) into bytes; undefined when malformed. */
export function parseByteSize(value: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb)?$/.exec(value.trim().toLowerCase());
  return match ? Number(match[1]) * BYTE_UNITS[match[2] ?? 'b'] : undefined;
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    const origin = url.origin;
    const bare = value.replace(/\/$/, '');
    return (url.protocol === 'http:' || url.protocol === 'https:') && origin === bare.toLowerCase() ? origin : undefined;
  } catch {
    return undefined;
  }
}

function isIpOrSubnet(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

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

  /** A duration in whole seconds (token lifetimes, rate-limit windows, the expiry job): at least 1s. */
  duration(name: string, fallback: string): number {
    const value = this.raw(name) ?? fallback;
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      const problem = parseDurationMs(value) === undefined ? 'must be a duration such as 15m, 12h or 7d' : 'must be at least 1s';
      this.problems.push(`${name} ${problem} (got "${value}")`);
      return parseDuration(fallback)!;
    }
    return seconds;
  }

  /** A duration in milliseconds (timeouts, the user cache's age): `500ms` as well as `5s`. */
  durationMs(name: string, fallback: string): number {
    const value = this.raw(name) ?? fallback;
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      this.problems.push(`${name} must be a duration such as 500ms, 5s or 1m (got "${value}")`);
      return parseDurationMs(fallback)!;
    }
    return ms;
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

  redisUrl(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^rediss?:\/\/.+/.test(value)) {
      this.problems.push(`${name} must be a redis:// or rediss:// URL`);
      return undefined;
    }
    return value;
  }

  /** `100kb`, `1mb`, `512b` or a number of bytes (1 kb = 1024 bytes). */
  bytes(name: string, fallback: string, max: number): number {
    const value = this.raw(name) ?? fallback;
    const bytes = parseByteSize(value);
    if (bytes === undefined || bytes < 1 || bytes > max) {
      this.problems.push(`${name} must be a size such as 100kb or 1mb, at most ${max / 1024 / 1024}mb (got "${value}")`);
      return parseByteSize(fallback)!;
    }
    return bytes;
  }

  /** A comma-separated list of origins (`https://shop.example.com`), or `*` for any. */
  origins(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const origins: string[] = [];
    for (const entry of value.split(',').map((o) => o.trim()).filter(Boolean)) {
      const origin = entry === '*' ? entry : originOf(entry);
      if (origin === undefined) {
        this.problems.push(`${name} must list origins such as https://app.example.com, separated by commas (got "${entry}")`);
      } else {
        origins.push(origin);
      }
    }
    return origins;
  }

  /**
   * `false` (default): the connecting address is the client. A hop count, or
   * the proxies' addresses/subnets (`loopback`, `10.0.0.0/8`, ...), make
   * Express read the client from `X-Forwarded-For`. `true` trusts any sender
   * of that header, so only use it when every request comes through a proxy.
   */
  trustProxy(name: string): boolean | number | string[] {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined || ['false', '0', 'no'].includes(value)) return false;
    if (['true', 'yes'].includes(value)) return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    const named = ['loopback', 'linklocal', 'uniquelocal'];
    const bad = entries.filter((e) => !named.includes(e) && !isIpOrSubnet(e));
    if (bad.length > 0 || entries.length === 0) {
      this.problems.push(`${name} must be true, false, a hop count, or addresses/subnets such as loopback,10.0.0.0/8 (got "${value}")`);
      return false;
    }
    return entries;
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
    dbConnectTimeoutMs: read.durationMs('DB_CONNECT_TIMEOUT', '5s'),
    dbQueryTimeoutMs: read.durationMs('DB_QUERY_TIMEOUT', '30s'),
    dbPreparedStatements: read.bool('DB_PREPARED_STATEMENTS', true),
    userCache: {
      enabled: read.bool('USER_CACHE', true),
      maxAgeMs: read.durationMs('USER_CACHE_MAX_AGE', '60s'),
    },
    jwt: {
      secret: secret ?? '',
      accessTtlSeconds: read.duration('JWT_ACCESS_TTL', '15m'),
      refreshTtlSeconds: read.duration('JWT_REFRESH_TTL', '7d'),
    },
    bcryptCost: read.int('BCRYPT_COST', nodeEnv === 'test' ? 4 : 12, 4, 15),
    http: {
      corsOrigins: read.origins('CORS_ORIGINS'),
      trustProxy: read.trustProxy('TRUST_PROXY'),
      bodyLimitBytes: read.bytes('BODY_LIMIT', '100kb', 100 * 1024 * 1024),
      shutdownTimeoutMs: read.durationMs('SHUTDOWN_TIMEOUT', '10s'),
    },
    throttle: {
      limit: read.int('THROTTLE_LIMIT', 300, 1, 1_000_000),
      ttlSeconds: read.duration('THROTTLE_TTL', '60s'),
      authLimit: read.int('THROTTLE_AUTH_LIMIT', 10, 1, 1_000_000),
      authTtlSeconds: read.duration('THROTTLE_AUTH_TTL', '60s'),
      redisUrl: read.redisUrl('REDIS_URL'),
      redisPrefix: read.string('THROTTLE_REDIS_PREFIX', 'gas-stock:throttle:'),
    },
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
