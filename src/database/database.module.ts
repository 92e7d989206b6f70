import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseLocation } from './database-url.provider.js';
import { isPermanentDatabaseError } from '../common/describe-failure.js';

@Module({
  providers: [
    {
      provide: DatabaseLocation,
      inject: [appConfig.KEY],
      useFactory: (config: AppSettings) => new DatabaseLocation().resolve(config),
    },
  ],
  exports: [DatabaseLocation],
})
export class DatabaseLocationModule {}

/**
 * TypeORM on the configured server, or on the embedded PostgreSQL. Pending
 * migrations run at start on the embedded database (a newcomer has nothing
 * to set up) and on a server only when MIGRATE_ON_START=true.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseLocationModule],
      inject: [appConfig.KEY, DatabaseLocation],
      useFactory: (config: AppSettings, location: DatabaseLocation) => ({
        // A few quick retries at start (the database may still be coming up), then a clear failure.
        retryAttempts: 5,
        retryDelay: 1000,
        // Each retry's line says why; a database that does not exist or refuses the credentials is not retried.
        verboseRetryLog: true,
        toRetry: (error: unknown) => !isPermanentDatabaseError(error),
        ...dataSourceOptions(location.url, location.poolSize(config), location.isEmbedded || config.migrateOnStart, {
          connectMs: config.dbConnectTimeoutMs,
          queryMs: config.dbQueryTimeoutMs,
        }),
      }),
    }),
  ],
})
export class DatabaseModule {}
