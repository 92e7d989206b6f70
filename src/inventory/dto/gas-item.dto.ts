import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsDecimal, IsMoney, OptionalNotNull, Trim } from '../../common/validation.js';

export const MAX_STOCK = 1_000_000;

export class CreateGasItemDto {
  @ApiProperty({ example: 'JIBU', description: 'A brand code from GET /brands/ (any case).' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  brand: string;

  @ApiProperty({ example: 13, description: 'Kilograms, at most one decimal place.' })
  @IsDecimal(1)
  @Min(0.5)
  @Max(1000)
  weight_kg: number;

  @ApiProperty({ example: 20, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_STOCK)
  quantity: number;

  @ApiProperty({ example: '2500.00', description: 'Number or numeric string, two decimals at most.', type: String })
  @IsMoney({ minCents: 1n })
  unit_price: string;

  @ApiProperty({ example: 'Nairobi CBD', maxLength: 255 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  location: string;
}

export class UpdateGasItemDto extends PartialType(OmitType(CreateGasItemDto, ['quantity'] as const), { skipNullProperties: false }) {
  @ApiPropertyOptional({ example: 15, minimum: 0, description: 'Sets the units available to order.' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  quantity?: number;
}

export class RestockDto {
  @ApiProperty({ example: 20, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_STOCK)
  quantity: number;

  @ApiPropertyOptional({ example: 'Delivery from depot', maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}
