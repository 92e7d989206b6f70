import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor.js';
import type { SqlWhere } from '../common/sql.js';

/**
 * Who may see an order, as a condition on its alias: admins all, buyers the
 * orders they placed, sellers the orders on their items; `undefined` means
 * no condition. Outside it, a record is a 404.
 */
function visibility(actor: Actor, orderAlias: string): { condition: string; userId?: number } | undefined {
  switch (actor.role) {
    case 'ADMIN':
      return undefined;
    case 'BUYER':
      return { condition: `${orderAlias}.buyer_id`, userId: actor.id };
    case 'SELLER':
      return { condition: `${orderAlias}.seller_id`, userId: actor.id };
    default:
      return { condition: '1 = 0' };
  }
}

/**
 * The visibility rule on a query builder. Invoices, payments and ratings hang
 * off an order and reuse this on their joined order alias, so the rule lives
 * in this one place.
 */
export function scopeOrdersTo<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  actor: Actor,
  orderAlias = 'o',
): SelectQueryBuilder<T> {
  const rule = visibility(actor, orderAlias);
  if (!rule) return qb;
  return rule.userId === undefined ? qb.andWhere(rule.condition) : qb.andWhere(`${rule.condition} = :scopeUserId`, { scopeUserId: rule.userId });
}

/** The same rule on a plain-SQL WHERE clause (the order lists, see order.rows.ts). */
export function scopeOrdersWhere(where: SqlWhere, actor: Actor, orderAlias = 'o'): SqlWhere {
  const rule = visibility(actor, orderAlias);
  if (!rule) return where;
  return rule.userId === undefined ? where.and(rule.condition) : where.and(`${rule.condition} = ?`, rule.userId);
}
