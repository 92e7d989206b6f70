import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { Trim } from '../../common/validation.js';
import { ORDER_STATUSES, type OrderStatus } from '../order-status.js';

/** A sanity bound for the wire; the business limit (MAX_ORDER_QUANTITY) is checked by the service. */
const QUANTITY_BOUND = 1_000_000;

export class CreateOrderDto {
  @ApiProperty({ description: 'Inventory item id.', example: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  gas_inventory: number;

  @ApiProperty({ example: 2, minimum: 1, description: 'At most MAX_ORDER_QUANTITY (default 100) units; more is 409 limit_exceeded.' })
  @IsInt()
  @Min(1)
  @Max(QUANTITY_BOUND)
  quantity: number;

  @ApiProperty({ example: 'Moi Avenue 12, Nairobi', maxLength: 500 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  delivery_address: string;

  @ApiProperty({ example: '+254700000000', maxLength: 32 })
  @Trim()
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  @Matches(/^[+\d][\d\s()-]*$/, { message: 'contact_phone must be a phone number' })
  contact_phone: string;
}

export class UpdateOrderDto extends PartialType(PickType(CreateOrderDto, ['delivery_address', 'contact_phone'] as const), {
  skipNullProperties: false,
}) {}

export class RejectOrderDto {
  @ApiPropertyOptional({ example: 'Out of delivery range', maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class OrderQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
