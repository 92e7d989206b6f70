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

export interface PageSql {
  select: string;
  /** FROM and joins; every join must be many-to-one, so the count needs no DISTINCT. */
  from: string;
  where: SqlWhere;
  orderBy: string;
  /** What the count needs of `from`: the base table alone when the joins only add columns. */
  countFrom?: string;
}

/**
 * One page of rows, mapped, and the total that matches, as two statements
 * whatever the page size: the query-count test holds every list to that.
 */
export async function selectPage<Row, T>(
  db: { select<R>(sql: string, parameters: unknown[]): Promise<R[]> },
  sql: PageSql,
  query: { offset: number; page: number; page_size: number },
  map: (row: Row) => T,
): Promise<Page<T>> {
  const { select, from, where, orderBy, countFrom = from } = sql;
  const n = where.params.length;
  const rows = await db.select<Row>(`SELECT ${select} ${from} ${where} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...where.params,
    query.page_size,
    query.offset,
  ]);
  const [{ total }] = await db.select<{ total: number }>(`SELECT count(*)::int AS total ${countFrom} ${where}`, where.params);
  return new Page(rows.map(map), total, query.page, query.page_size);
}
