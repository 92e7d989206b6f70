import { readFileSync } from 'node:fs';
import { PENDING_TTL_HOURS } from './dataset.js';

/** The bench's knobs, read once from the environment. */
export interface BenchConfig {
  /** The PostgreSQL server to create the bench database on; undefined: the embedded PGlite. */
  serverUrl: string | undefined;
  /** Seconds each measured run lasts. */
  duration: number;
  /** Seconds of warm-up before each server's first round of a scenario (not recorded). */
  warmup: number;
  /** Rounds each server's `duration` is split into, the app and the reference taking turns. */
  rounds: number;
  /** Seconds of warm-up before each later round: the server is warm, its connections are not. */
  rewarmup: number;
  connections: number;
  /** Cost of the one bcrypt hash every bench user shares; login is bound by it. */
  bcryptCost: number;
  /** The app's (and the reference server's) pool size. */
  poolSize: number;
  keepDb: boolean;
  /** Seconds the login line runs. */
  loginDuration: number;
  /** Connections for the login line: bcrypt runs on libuv's 4 threads, more only queue. */
  loginConnections: number;
}

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function loadBenchConfig(): BenchConfig {
  const serverUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (serverUrl && !/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('DATABASE_URL must be a postgres:// URL');
  const duration = int('BENCH_DURATION', 10, 1, 3600);
  return {
    serverUrl,
    duration,
    // V8 keeps optimising the app's code for about 15 s of load from a cold start (PROFILE_JIT=1
    // npm run bench:profile); a shorter warm-up measures the compiler as much as the server.
    warmup: int('BENCH_WARMUP', 15, 0, 600),
    rounds: int('BENCH_ROUNDS', 2, 1, 20),
    rewarmup: int('BENCH_REWARMUP', 2, 0, 600),
    connections: int('BENCH_CONNECTIONS', 32, 1, 1000),
    bcryptCost: int('BCRYPT_COST', 12, 4, 15),
    poolSize: int('DB_POOL_SIZE', 10, 1, 200),
    keepDb: ['1', 'true', 'yes'].includes((process.env.BENCH_KEEP_DB ?? '').toLowerCase()),
    loginDuration: int('BENCH_LOGIN_DURATION', duration, 1, 3600),
    loginConnections: int('BENCH_LOGIN_CONNECTIONS', 4, 1, 1000),
  };
}

/** The Node.js flags of `npm run start:prod`, so the bench runs the app exactly as production does. */
export function productionNodeFlags(root: string): string[] {
  const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts as Record<string, string>;
  const match = /\bnode\s+(.*?)\s*dist\/src\/main\.js/.exec(scripts['start:prod'] ?? '');
  if (!match) throw new Error('package.json "start:prod" is not "node [flags] dist/src/main.js"');
  return match[1].split(/\s+/).filter(Boolean);
}

/**
 * The app's settings for a loaded bench database, beside its connection and
 * secret: started as `npm run start:prod` does, with the policies that are not
 * what is measured opened up.
 */
export const BENCH_APP_ENV = {
  NODE_ENV: 'production',
  MIGRATE_ON_START: 'false',
  // The bench's few users send thousands of requests.
  THROTTLE_LIMIT: '1000000',
  THROTTLE_AUTH_LIMIT: '1000000',
  MAX_OPEN_ORDERS_PER_BUYER: '10000',
  // The data set's PENDING orders are younger than this, so the expiry job finds nothing to cancel.
  ORDER_PENDING_TTL: `${PENDING_TTL_HOURS}h`,
} as const;
