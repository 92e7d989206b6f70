import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { DatabaseLogger } from './database-logger.js';
import { ENTITIES } from './entities.js';
import { POOL_TYPES } from './pg-types.js';

export interface DatabaseTimeouts {
  /** How long a request waits for a pooled connection before failing (503). */
  connectMs: number;
  /** How long one query may run before the driver gives up on it (503). */
  queryMs: number;
}

const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, queryMs: 30_000 };

export function dataSourceOptions(
  url: string,
  poolSize: number,
  migrationsRun = false,
  timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Never TypeORM's console logger: it wrote failed statements' parameters (password hashes, emails) in plain text.
    logger: new DatabaseLogger(),
    extra: {
      max: poolSize,
      // Fail fast when the database is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: timeouts.connectMs,
      query_timeout: timeouts.queryMs,
      keepAlive: true,
      types: POOL_TYPES,
    },
  };
}
