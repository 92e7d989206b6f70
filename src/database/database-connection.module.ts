import { Global, Module } from '@nestjs/common';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { DatabaseLocation } from './database-url.provider.js';
import { DatabaseLocationModule } from './database.module.js';
import { PreparedStatements } from './prepared-statements.js';
import { TransactionalConnection } from './transactional-connection.js';

@Global()
@Module({
  imports: [DatabaseLocationModule],
  providers: [
    {
      provide: PreparedStatements,
      inject: [appConfig.KEY, DatabaseLocation],
      // A statement's name lives in a server session; the embedded PostgreSQL has one session for all its clients.
      useFactory: (config: AppSettings, location: DatabaseLocation) => new PreparedStatements(config.dbPreparedStatements && !location.isEmbedded),
    },
    TransactionalConnection,
  ],
  exports: [TransactionalConnection],
})
export class DatabaseConnectionModule {}
