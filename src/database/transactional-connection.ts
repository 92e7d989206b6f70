import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { currentContext, runInContext } from '../common/request-context.js';

/**
 * The one way services reach the database. Inside a transaction every query
 * of the request joins it, whichever service makes it, so an idempotent
 * request, an order and its ledger rows and audit row commit or roll back
 * together, and no query waits for a second pooled connection while the
 * first holds the transaction.
 */
@Injectable()
export class TransactionalConnection {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The current transaction's manager, or the plain one outside a transaction. */
  get manager(): EntityManager {
    return currentContext()?.manager ?? this.dataSource.manager;
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
