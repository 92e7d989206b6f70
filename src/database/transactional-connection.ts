import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type Repository } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { currentContext, runInContext } from '../common/request-context.js';
import { PreparedStatements } from './prepared-statements.js';

/**
 * The one way services reach the database. Inside a transaction every query
 * of the request joins it, whichever service makes it, so an idempotent
 * request, an order and its ledger rows and audit row commit or roll back
 * together, and no query waits for a second pooled connection while the
 * first holds the transaction.
 */
@Injectable()
export class TransactionalConnection {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: PreparedStatements,
  ) {}

  /** The current transaction's manager, or the plain one outside a transaction. */
  get manager(): EntityManager {
    return currentContext()?.manager ?? this.dataSource.manager;
  }

  /**
   * Runs one statement and returns its rows (a write's `RETURNING` rows): on
   * the request's transaction's connection when there is one, else straight on
   * the driver's pool, in both cases as a prepared statement
   * (`DB_PREPARED_STATEMENTS`). That spares the busy reads TypeORM's
   * per-statement query runner, and spares PostgreSQL parsing and planning
   * each statement again on every request (docs/performance.md). The statement
   * still reaches TypeORM's logger, and a failure is the same QueryFailedError
   * as through TypeORM.
   */
  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = currentContext()?.manager?.queryRunner;
    // As TypeORM's own query(): a transaction that has ended lends its connection to no one.
    if (runner?.isReleased) throw new QueryRunnerAlreadyReleasedError();
    const client: Pool | PoolClient = runner ? await runner.connect() : (this.dataSource.driver as unknown as { master: Pool }).master;
    this.dataSource.logger.logQuery(sql, parameters, runner);
    try {
      return (await client.query(this.statements.query(sql, parameters))).rows as T[];
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, sql, parameters, runner);
      throw new QueryFailedError(sql, parameters, error as Error);
    }
  }

  getRepository<T extends ObjectLiteral>(target: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(target);
  }

  /** Runs `work` in the current transaction, or in a new one when there is none. */
  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const context = currentContext();
    if (context?.manager?.queryRunner?.isTransactionActive) return work(context.manager);
    return this.dataSource.transaction((em) => runInContext({ ...context, manager: em }, () => work(em)));
  }
}
