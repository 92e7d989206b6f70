import { ConfigError, loadConfig, parseDuration } from './configuration.js';

const base = { JWT_SECRET: 'x'.repeat(40), PGLITE_DATA_DIR: '/tmp/gas-config-spec/pglite' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...base });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      migrateOnStart: false,
      dbPoolSize: 10,
      jwt: { accessTtlSeconds: 900, refreshTtlSeconds: 604800 },
      bcryptCost: 12,
      swaggerEnabled: true,
    });
  });

  it('parses durations', () => {
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('7d')).toBe(604800);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('0')).toBeUndefined();
    expect(parseDuration('500ms')).toBeUndefined();
    expect(parseDuration('1500ms')).toBe(1);
  });

  it('takes timeouts in milliseconds, and refuses a sub-second token lifetime by name', () => {
    const config = loadConfig({ ...base, DB_CONNECT_TIMEOUT: '500ms', DB_QUERY_TIMEOUT: '2s', USER_CACHE_MAX_AGE: '1500ms', SHUTDOWN_TIMEOUT: '250ms' });
    expect(config).toMatchObject({ dbConnectTimeoutMs: 500, dbQueryTimeoutMs: 2000, http: { shutdownTimeoutMs: 250 } });
    expect(config.userCache.maxAgeMs).toBe(1500);
    expect(() => loadConfig({ ...base, JWT_ACCESS_TTL: '500ms' })).toThrow(/JWT_ACCESS_TTL must be at least 1s \(got "500ms"\)/);
    expect(() => loadConfig({ ...base, DB_CONNECT_TIMEOUT: 'soon' })).toThrow(/DB_CONNECT_TIMEOUT must be a duration such as 500ms, 5s or 1m/);
  });

  it('names every wrong variable in one error', () => {
    try {
      loadConfig({ ...base, PORT: 'eighty', MIGRATE_ON_START: 'maybe', JWT_ACCESS_TTL: 'soon', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'MIGRATE_ON_START', 'JWT_ACCESS_TTL', 'DATABASE_URL']) expect(message).toContain(name);
    }
  });

  it('refuses to start in production without a JWT secret, and refuses a short one anywhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set in production/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32/);
  });

  it('turns Swagger off in production unless asked for', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).swaggerEnabled).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SWAGGER_ENABLED: 'true' }).swaggerEnabled).toBe(true);
  });

  it('defaults the HTTP and rate-limit settings to safe values', () => {
    expect(loadConfig({ ...base })).toMatchObject({
      http: { corsOrigins: [], trustProxy: false, bodyLimitBytes: 100 * 1024, shutdownTimeoutMs: 10_000 },
      throttle: { limit: 300, ttlSeconds: 60, authLimit: 10, authTtlSeconds: 60, redisUrl: undefined, redisPrefix: 'gas-stock:throttle:' },
    });
  });

  it('reads CORS origins, proxy trust, body limit, shutdown timeout, limits and Redis', () => {
    const config = loadConfig({
      ...base,
      CORS_ORIGINS: 'https://Shop.example.com, http://localhost:5173/',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      BODY_LIMIT: '1mb',
      SHUTDOWN_TIMEOUT: '30s',
      THROTTLE_LIMIT: '1000',
      THROTTLE_TTL: '1m',
      THROTTLE_AUTH_LIMIT: '5',
      THROTTLE_AUTH_TTL: '15m',
      REDIS_URL: 'redis://cache:6379/2',
      THROTTLE_REDIS_PREFIX: 'gas:',
    });
    expect(config.http).toEqual({
      corsOrigins: ['https://shop.example.com', 'http://localhost:5173'],
      trustProxy: ['loopback', '10.0.0.0/8'],
      bodyLimitBytes: 1024 * 1024,
      shutdownTimeoutMs: 30_000,
    });
    expect(config.throttle).toEqual({
      limit: 1000,
      ttlSeconds: 60,
      authLimit: 5,
      authTtlSeconds: 900,
      redisUrl: 'redis://cache:6379/2',
      redisPrefix: 'gas:',
    });
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ ...base, CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
    expect(loadConfig({ ...base, BODY_LIMIT: '512' }).http.bodyLimitBytes).toBe(512);
  });

  it('names each malformed HTTP or rate-limit variable', () => {
    const wrong = {
      CORS_ORIGINS: 'https://ok.example.com, https://shop.example.com/path',
      TRUST_PROXY: 'the-proxy',
      BODY_LIMIT: '10gb',
      SHUTDOWN_TIMEOUT: 'later',
      THROTTLE_LIMIT: '0',
      THROTTLE_AUTH_TTL: 'soon',
      REDIS_URL: 'http://cache:6379',
    };
    try {
      loadConfig({ ...base, ...wrong });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      for (const name of Object.keys(wrong)) expect(problems.some((p) => p.startsWith(name))).toBe(true);
      expect(problems).toHaveLength(Object.keys(wrong).length);
    }
  });
});
