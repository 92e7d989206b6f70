import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
