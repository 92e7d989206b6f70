import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor.js';
import { scopeOrdersTo } from './order-visibility.js';

/** Records the WHERE clauses the visibility rule adds. */
function recorder() {
  const clauses: { sql: string; params?: Record<string, unknown> }[] = [];
  const qb = {
    andWhere(sql: string, params?: Record<string, unknown>) {
      clauses.push({ sql, params });
      return qb;
    },
  };
  return { qb: qb as unknown as SelectQueryBuilder<object>, clauses };
}

const actor = (role: Actor['role']): Actor => ({ id: 42, role, username: 'u' });

describe('order visibility', () => {
  it('shows an admin every order', () => {
    const { qb, clauses } = recorder();
    scopeOrdersTo(qb, actor('ADMIN'));
    expect(clauses).toEqual([]);
  });

  it('shows a buyer the orders they placed', () => {
    const { qb, clauses } = recorder();
    scopeOrdersTo(qb, actor('BUYER'));
    expect(clauses).toEqual([{ sql: 'o.buyer_id = :scopeUserId', params: { scopeUserId: 42 } }]);
  });

  it('shows a seller the orders on their items, on any order alias', () => {
    const { qb, clauses } = recorder();
    scopeOrdersTo(qb, actor('SELLER'), 'ord');
    expect(clauses).toEqual([{ sql: 'ord.seller_id = :scopeUserId', params: { scopeUserId: 42 } }]);
  });

  it('shows an unknown role nothing', () => {
    const { qb, clauses } = recorder();
    scopeOrdersTo(qb, { id: 1, role: 'GUEST' as Actor['role'], username: 'x' });
    expect(clauses).toEqual([{ sql: '1 = 0', params: undefined }]);
  });
});
