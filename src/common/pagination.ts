import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { jsonArrayBytes } from './json-array.js';
import { jsonPageStatements, type JsonListSql } from './json-list-sql.js';
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

/** One page of a list. `usePageReplies` (page-replies.ts) sends `items` as the body and the rest as headers. */
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
export function parseOrdering(value: string | undefined, allowed: ReadonlyMap<string, string>, fallback: string): Ordering {
  const pick = (raw: string): Ordering | undefined => {
    const descending = raw.startsWith('-');
    // A Map, not an object: `?ordering=constructor` must not find Object.prototype's.
    const column = allowed.get(descending ? raw.slice(1) : raw);
    return column ? { column, direction: descending ? 'DESC' : 'ASC' } : undefined;
  };
  return (value && pick(value.trim())) || pick(fallback)!;
}

/**
 * One page of a list whose items PostgreSQL wrote as JSON (`selectJsonPage`):
 * `usePageReplies` (page-replies.ts) sends them as the body, unparsed, and the rest as
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

  /** The response body: a JSON array of the items, as bytes (`jsonArrayBytes`). */
  body(): Buffer {
    return jsonArrayBytes(this.items);
  }
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
  db: { query<R>(sql: string, parameters: unknown[]): Promise<R[]> },
  list: JsonListSql,
  where: SqlWhere,
  orderBy: string,
  query: { offset: number; page: number; page_size: number },
): Promise<JsonPage<T>> {
  const statements = jsonPageStatements(list, where, orderBy);
  const rows = await db.query<{ json: string; total: number }>(statements.page, [...where.params, query.page_size, query.offset]);
  const total =
    rows.length > 0 ? rows[0].total : query.offset === 0 ? 0 : (await db.query<{ total: number }>(statements.count, where.params))[0].total;
  return new JsonPage(
    rows.map((row) => row.json),
    total,
    query.page,
    query.page_size,
  );
}
