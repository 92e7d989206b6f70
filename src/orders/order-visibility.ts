import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor.js';

/**
 * Who may see an order, as a WHERE clause: admins all, buyers the orders they
 * placed, sellers the orders on their items. Invoices, payments and ratings
 * hang off an order and reuse this on their joined order alias, so the rule
 * lives in this one place. Outside it, a record is a 404.
 */
export function scopeOrdersTo<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  actor: Actor,
  orderAlias = 'o',
): SelectQueryBuilder<T> {
  switch (actor.role) {
    case 'ADMIN':
      return qb;
    case 'BUYER':
      return qb.andWhere(`${orderAlias}.buyer_id = :scopeUserId`, { scopeUserId: actor.id });
    case 'SELLER':
      return qb.andWhere(`${orderAlias}.seller_id = :scopeUserId`, { scopeUserId: actor.id });
    default:
      return qb.andWhere('1 = 0');
  }
}
