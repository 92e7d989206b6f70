import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor.js';
import { SqlWhere } from '../common/sql.js';
import { scopeOrdersTo, scopeOrdersWhere } from './order-visibility.js';

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

  it('applies the same rule to plain SQL, numbering its parameter after the others', () => {
    const sql = (role: Actor['role'], alias?: string) => {
      const where = scopeOrdersWhere(new SqlWhere().and('o.id = ?', 7), { id: 42, role, username: 'u' }, alias);
      return [String(where), where.params];
    };
    expect(sql('ADMIN')).toEqual(['WHERE (o.id = $1)', [7]]);
    expect(sql('BUYER')).toEqual(['WHERE (o.id = $1) AND (o.buyer_id = $2)', [7, 42]]);
    expect(sql('SELLER', 'ord')).toEqual(['WHERE (o.id = $1) AND (ord.seller_id = $2)', [7, 42]]);
    expect(sql('GUEST' as Actor['role'])).toEqual(['WHERE (o.id = $1) AND (1 = 0)', [7]]);
  });
});
