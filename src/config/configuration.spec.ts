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
});
