import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 'Not enough stock for this order.' })
  detail: string;

  @ApiProperty({ example: 'insufficient_stock' })
  code: string;

  @ApiPropertyOptional({
    description: 'Validation errors by field (400 validation_error only).',
    example: { quantity: ['quantity must be a positive integer'] },
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;
}
