import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '../../common/validation.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { displayName } from '../../users/dto/user-response.dto.js';
import { Rating } from '../rating.entity.js';

export class CreateRatingDto {
  @ApiProperty({ description: 'Id of your DELIVERED order.', example: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  order: number;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000, example: 'On time, sealed cylinder.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RatingResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Order id.' }) order: number;
  @ApiProperty() buyer_name: string;
  @ApiProperty() seller_name: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating: number;
  @ApiProperty() comment: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** Expects the order joined with its buyer and seller. */
export function toRatingResponse(rating: Rating): RatingResponseDto {
  return {
    id: rating.id,
    order: rating.orderId,
    buyer_name: displayName(rating.order!.buyer!),
    seller_name: displayName(rating.order!.seller!),
    rating: rating.rating,
    comment: rating.comment,
    created_at: isoTimestamp(rating.createdAt),
  };
}
