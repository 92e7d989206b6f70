import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { formatMoney } from '../../common/money.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { OrderResponseDto, toOrderResponse } from '../../orders/dto/order-response.dto.js';
import { Invoice } from '../invoice.entity.js';

export class CreateInvoiceDto {
  @ApiProperty({ description: 'Id of an APPROVED or DELIVERED order on one of your items.', example: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  order: number;
}

export class InvoiceResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Order id.' }) order: number;
  @ApiProperty({ type: OrderResponseDto }) order_details: OrderResponseDto;
  @ApiProperty({ example: 'INV-1A2B3C4D' }) invoice_number: string;
  @ApiProperty({ example: '5000.00' }) amount: string;
  @ApiProperty() is_paid: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) payment_date: string | null;
  @ApiProperty() admin_approval: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) admin_approval_date: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** Expects the order joined with its item, buyer and seller. */
export function toInvoiceResponse(invoice: Invoice): InvoiceResponseDto {
  return {
    id: invoice.id,
    order: invoice.orderId,
    order_details: toOrderResponse(invoice.order!),
    invoice_number: invoice.invoiceNumber,
    amount: formatMoney(invoice.amount),
    is_paid: invoice.isPaid,
    payment_date: invoice.paymentDate ? isoTimestamp(invoice.paymentDate) : null,
    admin_approval: invoice.adminApproval,
    admin_approval_date: invoice.adminApprovalDate ? isoTimestamp(invoice.adminApprovalDate) : null,
    created_at: isoTimestamp(invoice.createdAt),
  };
}
