import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, Max, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { IsDecimal, IsMoney, Trim } from '../../common/validation.js';

export const GAS_ORDERING: ReadonlyMap<string, string> = new Map([
  ['unit_price', 'g.unit_price'],
  ['weight_kg', 'g.weight_kg'],
  ['date_added', 'g.date_added'],
]);

/** `6`, `6.0`, `6kg`, `6 KG` all mean 6 kilograms. */
function parseWeight(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(kg)?\s*$/i.exec(value);
  return match ? Number(match[1]) : value;
}

export class GasItemQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Brand code, any case.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(20)
  brand?: string;

  @ApiPropertyOptional({ description: 'Weight in kg: 6, 6.0 or 6kg.', type: String })
  @IsOptional()
  @Transform(({ value }) => parseWeight(value))
  @IsDecimal(1, { message: 'weight must be a weight such as 6, 6.0 or 6kg' })
  weight?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the location.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(255)
  location?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsMoney()
  min_price?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsMoney()
  max_price?: string;

  @ApiPropertyOptional({ description: 'Seller user id.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  seller?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive match on brand or location.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  search?: string;

  // Not an OpenAPI enum: an enum would promise a 400 for any other value,
  // and the original service (DRF) answers those in the default order.
  @ApiPropertyOptional({
    type: String,
    default: '-date_added',
    example: 'unit_price',
    description:
      'Sorts by `unit_price`, `weight_kg` or `date_added`; a leading `-` reverses the order. ' +
      'Any other value gives the default order, as the original service (DRF) did.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ordering?: string;
}
