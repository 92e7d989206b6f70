import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { formatMoney } from '../../common/money.js';
import { IsMoney, OptionalNotNull, Trim } from '../../common/validation.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { InvoiceResponseDto, toInvoiceResponse } from '../../invoices/dto/invoice.dto.js';
import { Payment } from '../payment.entity.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-status.js';

export class CreatePaymentDto {
  @ApiProperty({ description: 'Invoice id.', example: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  invoice: number;

  @ApiProperty({ example: '2500.00', type: String, description: 'Number or numeric string, at most the outstanding amount.' })
  @IsMoney({ minCents: 1n })
  amount: string;

  @ApiProperty({ example: 'M-Pesa', maxLength: 50 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  payment_method: string;

  @ApiPropertyOptional({ example: 'QWE123RTY', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  transaction_id?: string;
}

export class UpdatePaymentDto {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @OptionalNotNull()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;

  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  transaction_id?: string;
}

/** `mark-as-paid`: optionally how and under which reference the invoice was paid. */
export class MarkAsPaidDto extends PartialType(PickType(CreatePaymentDto, ['payment_method', 'transaction_id'] as const), {
  skipNullProperties: false,
}) {}

export class PaymentResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Invoice id.' }) invoice: number;
  @ApiProperty({ type: InvoiceResponseDto }) invoice_details: InvoiceResponseDto;
  @ApiProperty({ example: '2500.00' }) amount: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: PaymentStatus;
  @ApiProperty({ nullable: true, type: String }) transaction_id: string | null;
  @ApiProperty() payment_method: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

/** Expects the invoice joined with its order, item, buyer and seller. */
export function toPaymentResponse(payment: Payment): PaymentResponseDto {
  return {
    id: payment.id,
    invoice: payment.invoiceId,
    invoice_details: toInvoiceResponse(payment.invoice!),
    amount: formatMoney(payment.amount),
    status: payment.status,
    transaction_id: payment.transactionId,
    payment_method: payment.paymentMethod,
    created_at: isoTimestamp(payment.createdAt),
    updated_at: isoTimestamp(payment.updatedAt),
  };
}
