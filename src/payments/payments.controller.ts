import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { InvoiceResponseDto, toInvoiceResponse } from '../invoices/dto/invoice.dto.js';
import { CreatePaymentDto, MarkAsPaidDto, PaymentResponseDto, toPaymentResponse, UpdatePaymentDto } from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('payments')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('payments')
  @Roles('BUYER', 'ADMIN')
  @Idempotent()
  @ApiOperation({ summary: "Record a payment on an invoice (the order's buyer or an admin); starts PENDING" })
  @ApiCreatedResponse({ type: PaymentResponseDto })
  @ApiNotFound('The invoice')
  @ApiConflict('invalid_transition')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreatePaymentDto): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.create(actor, dto));
  }

  @Get('payments')
  @ApiOperation({ summary: 'Payments the caller can see (scoped as invoices)' })
  @Paginated(PaymentResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<PaymentResponseDto>> {
    return (await this.payments.list(actor, query)).map(toPaymentResponse);
  }

  @Get('payments/:id')
  @ApiOperation({ summary: 'One payment' })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiNotFound('The payment')
  async get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.get(actor, id));
  }

  @Patch('payments/:id')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Settle a payment (status COMPLETED or FAILED) or set its transaction id' })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiNotFound('The payment')
  @ApiConflict('invalid_transition')
  async update(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: UpdatePaymentDto): Promise<PaymentResponseDto> {
    return toPaymentResponse(await this.payments.update(actor, id, dto));
  }

  @Post('invoices/:id/mark-as-paid')
  @Roles('ADMIN')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record a COMPLETED payment of the outstanding amount and mark the invoice paid' })
  @ApiOkResponse({ type: InvoiceResponseDto })
  @ApiNotFound('The invoice')
  @ApiConflict('invalid_transition')
  async markInvoicePaid(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: MarkAsPaidDto): Promise<InvoiceResponseDto> {
    return toInvoiceResponse(await this.payments.markInvoicePaid(actor, id, dto));
  }
}
