import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, Max, MaxDate, IsOptional, Min, MinDate } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { AuditEntry } from '../audit-entry.entity.js';

/** Dates PostgreSQL's timestamps hold (JavaScript's reach further: -271821 was a 500). */
const EARLIEST = new Date('0001-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

const OBJECT_TYPES = ['order', 'invoice', 'payment', 'item', 'user', 'rating'];

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: OBJECT_TYPES })
  @IsOptional()
  @IsIn(OBJECT_TYPES)
  object_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  object_id?: number;

  @ApiPropertyOptional({ description: 'Actor user id.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  actor?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(EARLIEST, { message: 'Must be a date from the year 1 to 9999.' })
  @MaxDate(LATEST, { message: 'Must be a date from the year 1 to 9999.' })
  since?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(EARLIEST, { message: 'Must be a date from the year 1 to 9999.' })
  @MaxDate(LATEST, { message: 'Must be a date from the year 1 to 9999.' })
  until?: Date;
}

export class AuditEntryResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) actor: number | null;
  @ApiProperty({ example: 'order.approve' }) action: string;
  @ApiProperty({ enum: OBJECT_TYPES }) object_type: string;
  @ApiProperty() object_id: number;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) after: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export function toAuditEntryResponse(entry: AuditEntry): AuditEntryResponseDto {
  return {
    id: Number(entry.id),
    actor: entry.actorId,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId,
    before: entry.before,
    after: entry.after,
    request_id: entry.requestId,
    created_at: isoTimestamp(entry.createdAt),
  };
}
