import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { EmbeddedPostgres, openEmbeddedPostgres } from './embedded-postgres.js';

/**
 * Where the database is: `DATABASE_URL` when set, otherwise an embedded
 * PostgreSQL (PGlite) kept under `PGLITE_DATA_DIR`, started here and stopped
 * when the application shuts down.
 */
@Injectable()
export class DatabaseLocation implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedPostgres;

  url = '';
  isEmbedded = false;

  async resolve(config: AppConfig): Promise<this> {
    if (config.databaseUrl) {
      this.url = config.databaseUrl;
      return this;
    }
    this.embedded = await openEmbeddedPostgres(config.pgliteDataDir, 4);
    this.logger.log(
      this.embedded.shared
        ? `No DATABASE_URL: using the embedded PostgreSQL the running server serves at ${this.embedded.url.replace(/:[^:@/]+@/, ':***@')}`
        : `No DATABASE_URL: embedded PostgreSQL (PGlite) in ${config.pgliteDataDir}`,
    );
    this.url = this.embedded.url;
    this.isEmbedded = true;
    return this;
  }

  /**
   * PGlite runs one statement at a time whatever the pool, and its socket
   * multiplexer can interleave the extended-protocol messages of concurrent
   * connections ("unnamed prepared statement does not exist"). One pooled
   * connection queues requests in the driver instead, safely.
   */
  poolSize(config: AppConfig): number {
    return this.isEmbedded ? 1 : config.dbPoolSize;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
    this.embedded = undefined;
  }
}
