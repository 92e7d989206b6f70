/**
 * The SQL of the lists PostgreSQL writes as JSON (`selectJsonPage`), apart
 * from the framework: the bench's reference server runs the same statements.
 */
import { BoundedMemo } from './bounded-memo.js';
import type { SqlWhere } from './sql.js';

/** What a list's pages are read with whatever the filters: `order.rows.ts` and `gas-item.rows.ts` define one each. */
export interface JsonListSql {
  /** One row's JSON text, over `from` (e.g. the parts PostgreSQL keeps in the row, and the names joined in). */
  json: string;
  /** FROM, joins and laterals; every join must be many-to-one, so the count needs no DISTINCT. */
  from: string;
  /** What the count needs of `from`: the base table alone when the joins only add columns. */
  countFrom: string;
}

/** A list's two statements for one shape of filters and order: built once, then reused as the same strings. */
export interface JsonPageStatements {
  /** The page's JSON and the total, with the limit and offset as the last two parameters. */
  page: string;
  /** The total alone. */
  count: string;
}

/** Each list's statements by shape (filters and order); few shapes are in use, so the bound is only a guard. */
const statementsByList = new WeakMap<JsonListSql, BoundedMemo<string, JsonPageStatements>>();

/**
 * The statements for a list, its filters and its order, built the first time
 * and then reused: not concatenated again on every request (~1.5 KB each), and
 * the same string each time, so the prepared-statement lookup (a Map keyed by
 * the text) finds it by its cached hash instead of hashing and comparing it in
 * full. The bench's reference server reads its lists with them too.
 */
export function jsonPageStatements(list: JsonListSql, where: SqlWhere, orderBy: string): JsonPageStatements {
  let shapes = statementsByList.get(list);
  if (!shapes) statementsByList.set(list, (shapes = new BoundedMemo(1000)));
  const whereText = where.toString();
  return shapes.get(`${whereText}\n${orderBy}`, () => {
    const n = where.params.length;
    const count = `SELECT count(*)::int AS total ${list.countFrom} ${whereText}`;
    return {
      page: `SELECT ${list.json} AS json, (${count}) AS total ${list.from} ${whereText} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      count,
    };
  });
}
