import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type Repository } from 'typeorm';
import type { Pool } from 'pg';
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
   * Runs a SELECT and returns its rows: in the request's transaction when
   * there is one, else straight on the driver's pool as a prepared statement
   * (`DB_PREPARED_STATEMENTS`), which spares the busy reads TypeORM's
   * per-statement query runner and the server's parsing and planning (README, Performance). The
   * statement still reaches TypeORM's logger, and a failure is the same
   * QueryFailedError as through TypeORM.
   */
  async select<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const manager = currentContext()?.manager;
    if (manager) return manager.query<T[]>(sql, parameters);
    this.dataSource.logger.logQuery(sql, parameters);
    try {
      const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
      return (await pool.query(this.statements.query(sql, parameters))).rows as T[];
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, sql, parameters);
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
