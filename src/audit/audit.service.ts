import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { currentContext } from '../common/request-context.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { AuditEntry } from './audit-entry.entity.js';

export type AuditObject = 'order' | 'invoice' | 'payment' | 'item' | 'user' | 'rating';

export interface AuditRecord {
  action: string;
  objectType: AuditObject;
  objectId: number;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditQuery extends PaginationQueryDto {
  object_type?: string;
  object_id?: number;
  actor?: number;
  since?: Date;
  until?: Date;
}

@Injectable()
export class AuditService {
  constructor(private readonly db: TransactionalConnection) {}

  /**
   * Writes an audit row in the current transaction, so it exists exactly when
   * the change it describes does. The request id comes from the request context.
   */
  async record(actor: Actor | null, entry: AuditRecord): Promise<void> {
    // Plain SQL: every write of the API adds one of these (docs/performance.md). Placing an order
    // writes its own inside place_order (migration PlaceOrderFunction): a change here changes that too.
    await this.db.query('INSERT INTO audit_log (actor_id, action, object_type, object_id, before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      actor?.id ?? null,
      entry.action,
      entry.objectType,
      entry.objectId,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      currentContext()?.requestId ?? null,
    ]);
  }

  async list(_actor: Actor, query: AuditQuery): Promise<Page<AuditEntry>> {
    const qb = this.db.getRepository(AuditEntry).createQueryBuilder('a').where('1 = 1');
    if (query.object_type) qb.andWhere('a.object_type = :type', { type: query.object_type });
    if (query.object_id) qb.andWhere('a.object_id = :objectId', { objectId: query.object_id });
    if (query.actor) qb.andWhere('a.actor_id = :actorId', { actorId: query.actor });
    if (query.since) qb.andWhere('a.created_at >= :since', { since: query.since });
    if (query.until) qb.andWhere('a.created_at < :until', { until: query.until });
    const [items, total] = await qb.orderBy('a.id', 'DESC').offset(query.offset).limit(query.page_size).getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }
}
