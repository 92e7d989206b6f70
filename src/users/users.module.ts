import { Logger, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { DatabaseLocation } from '../database/database-url.provider.js';
import { DatabaseLocationModule } from '../database/database.module.js';
import { ActorCache } from './actor-cache.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [DatabaseLocationModule],
  controllers: [UsersController],
  providers: [
    UsersService,
    PasswordHasher,
    {
      provide: ActorCache,
      // After the DataSource, which runs the migrations when MIGRATE_ON_START is set: on a new
      // database the users_changed trigger exists only then, and a cache that looked before would
      // stay off. On a PostgreSQL server only: the embedded one serves all its clients from one
      // session, which its socket server does not pass announcements through.
      inject: [appConfig.KEY, DatabaseLocation, getDataSourceToken()],
      useFactory: (config: AppSettings, location: DatabaseLocation) => {
        const cache = new ActorCache({ maxAgeMs: config.userCache.maxAgeMs }, new Logger('Users'));
        if (config.userCache.enabled && !location.isEmbedded) {
          const connect = () =>
            new pg.Client({
              connectionString: location.url,
              connectionTimeoutMillis: config.dbConnectTimeoutMs,
              keepAlive: true,
              application_name: 'gas-stock-api: user changes',
            });
          void cache.follow(connect);
        }
        return cache;
      },
    },
  ],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
