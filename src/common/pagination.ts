import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { SqlWhere } from './sql.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Values above 200 are clamped to 200.' })
  @IsOptional()
  @Transform(({ value }) => Math.min(Number(value), MAX_PAGE_SIZE))
  @IsInt()
  @Min(1)
  page_size: number = DEFAULT_PAGE_SIZE;

  get offset(): number {
    return (this.page - 1) * this.page_size;
  }
}

/** One page of a list. The pagination interceptor sends `items` as the body and the rest as headers. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
    readonly page: number,
    readonly pageSize: number,
  ) {}

  map<U>(fn: (item: T) => U): Page<U> {
    return new Page(this.items.map(fn), this.total, this.page, this.pageSize);
  }
}

export type Ordering = { column: string; direction: 'ASC' | 'DESC' };

/**
 * Reads `?ordering=field` / `-field` against the fields a list allows;
 * an unknown field is ignored in favour of the default, as DRF does.
 */
export function parseOrdering(value: string | undefined, allowed: Record<string, string>, fallback: string): Ordering {
  const pick = (raw: string): Ordering | undefined => {
    const descending = raw.startsWith('-');
    const column = allowed[descending ? raw.slice(1) : raw];
    return column ? { column, direction: descending ? 'DESC' : 'ASC' } : undefined;
  };
  return (value && pick(value.trim())) || pick(fallback)!;
}

/**
 * One page of a list whose items PostgreSQL wrote as JSON (`selectJsonPage`):
 * the pagination interceptor sends them as the body, unparsed, and the rest as
 * headers. `T` is the item's shape, for the reader; nothing checks it here.
 */
export class JsonPage<T> {
  declare private readonly item?: T;

  constructor(
    /** Each item's JSON text, in order. */
    readonly items: string[],
    readonly total: number,
    readonly page: number,
    readonly pageSize: number,
  ) {}

  /** The response body: a JSON array of the items. */
  body(): string {
    return `[${this.items.join(',')}]`;
  }
}

/** What a list's pages are read with whatever the filters: `order.rows.ts` and `gas-item.rows.ts` define one each. */
export interface JsonListSql {
  /** One row's JSON text, e.g. `row_to_json(r)::text`, over `from`. */
  json: string;
  /** FROM, joins and laterals; every join must be many-to-one, so the count needs no DISTINCT. */
  from: string;
  /** What the count needs of `from`: the base table alone when the joins only add columns. */
  countFrom: string;
}

/** A list's two statements for one shape of filters and order: built once, then reused as the same strings. */
interface JsonPageStatements {
  /** The page's JSON and the total, with the limit and offset as the last two parameters. */
  page: string;
  /** The total alone. */
  count: string;
}

/** Emptied when it holds this many shapes: each is a combination of filters and an ordering, so few are in use. */
const MAX_SHAPES_PER_LIST = 1000;

const statementsByList = new WeakMap<JsonListSql, Map<string, JsonPageStatements>>();

/**
 * The statements for a list, its filters and its order, built the first time
 * and then reused: not concatenated again on every request (~1.5 KB each), and
 * the same string each time, so the prepared-statement lookup (a Map keyed by
 * the text) finds it by its cached hash instead of hashing and comparing it in full.
 */
function statementsFor(list: JsonListSql, where: SqlWhere, orderBy: string): JsonPageStatements {
  let shapes = statementsByList.get(list);
  if (!shapes) statementsByList.set(list, (shapes = new Map()));
  const whereText = where.toString();
  const shape = `${whereText}\n${orderBy}`;
  let statements = shapes.get(shape);
  if (!statements) {
    const n = where.params.length;
    const count = `SELECT count(*)::int AS total ${list.countFrom} ${whereText}`;
    statements = {
      page: `SELECT ${list.json} AS json, (${count}) AS total ${list.from} ${whereText} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      count,
    };
    if (shapes.size >= MAX_SHAPES_PER_LIST) shapes.clear();
    shapes.set(shape, statements);
  }
  return statements;
}

/**
 * One page of a list and the total that matches, in one statement: PostgreSQL
 * writes each item's JSON (no rows to parse, map and serialise again here),
 * and the count rides along as an uncorrelated subquery, which it runs once.
 * Only a page past the end, which comes back empty, needs the count on its
 * own. Never more than two statements whatever the page size: the
 * query-count test holds every list to that.
 */
export async function selectJsonPage<T>(
  db: { select<R>(sql: string, parameters: unknown[]): Promise<R[]> },
  list: JsonListSql,
  where: SqlWhere,
  orderBy: string,
  query: { offset: number; page: number; page_size: number },
): Promise<JsonPage<T>> {
  const statements = statementsFor(list, where, orderBy);
  const rows = await db.select<{ json: string; total: number }>(statements.page, [...where.params, query.page_size, query.offset]);
  const total =
    rows.length > 0 ? rows[0].total : query.offset === 0 ? 0 : (await db.select<{ total: number }>(statements.count, where.params))[0].total;
  return new JsonPage(
    rows.map((row) => row.json),
    total,
    query.page,
    query.page_size,
  );
}
