import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/**
 * Whether the database holds every migration this build carries. A server
 * started on an empty or older database (MIGRATE_ON_START off, the migrate
 * step forgotten) answered its readiness probe while every API call failed;
 * now it says so at start and is not ready until the migrations have run.
 */
@Injectable()
export class SchemaHealthIndicator implements OnApplicationBootstrap {
  private readonly logger = new Logger('Schema');

  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.pending().catch(() => []);
    if (pending.length > 0) {
      this.logger.error(
        `The database is missing ${pending.length} migration(s) of this build (${pending.join(', ')}): ` +
          'run `npm run migration:run` (or the migrate service). /health/ready answers 503 until then.',
      );
    }
  }

  /** Down, saying which migrations to run, while any is pending (or the database does not answer in time). */
  check(key: string, timeoutMs = 2000) {
    return this.indicators
      .check(key)
      .attempt(async () => {
        const pending = await this.pending();
        if (pending.length > 0) throw new Error(`${pending.length} migration(s) pending (${pending.join(', ')}); run npm run migration:run`);
      })
      .withTimeout(timeoutMs);
  }

  /** The names of this build's migrations the database has not run, oldest first. */
  private async pending(): Promise<string[]> {
    let applied: Set<string>;
    try {
      const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM ${this.dataSource.options.migrationsTableName ?? 'migrations'}`);
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code !== '42P01') throw error;
      applied = new Set(); // no migrations table: nothing has run
    }
    return this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.has(name));
  }
}
