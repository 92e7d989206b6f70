import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { CreateInvoiceDto, InvoiceResponseDto, toInvoiceResponse } from './dto/invoice.dto.js';
import { InvoicesService } from './invoices.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { NoBodyDto } from '../common/http/no-body.dto.js';

@ApiTags('invoices')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Post('seller/invoice')
  @Roles('SELLER')
  @Idempotent()
  @ApiOperation({ summary: 'Invoice an APPROVED or DELIVERED order on your item; also served at POST /api/invoices/' })
  @ApiCreatedResponse({ type: InvoiceResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition, already_exists')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateInvoiceDto): Promise<InvoiceResponseDto> {
    return toInvoiceResponse(await this.invoices.create(actor, dto.order));
  }

  @Get('invoices')
  @ApiOperation({ summary: 'Invoices the caller can see (admin: all, buyer: own orders, seller: own items)' })
  @Paginated(InvoiceResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<InvoiceResponseDto>> {
    return (await this.invoices.list(actor, query)).map(toInvoiceResponse);
  }

  @Get('admin/invoices/pending')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Invoices not yet approved' })
  @Paginated(InvoiceResponseDto)
  async pending(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<InvoiceResponseDto>> {
    return (await this.invoices.list(actor, Object.assign(query, { pendingOnly: true }))).map(toInvoiceResponse);
  }

  @Get('invoices/:id')
  @ApiOperation({ summary: 'One invoice' })
  @ApiOkResponse({ type: InvoiceResponseDto })
  @ApiNotFound('The invoice')
  async get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<InvoiceResponseDto> {
    return toInvoiceResponse(await this.invoices.get(actor, id));
  }

  @Post('invoices/:id/approve')
  @Roles('ADMIN')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve an invoice of an APPROVED or DELIVERED order' })
  @ApiOkResponse({ type: InvoiceResponseDto })
  @ApiNotFound('The invoice')
  @ApiConflict('invalid_transition')
  async approve(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<InvoiceResponseDto> {
    return toInvoiceResponse(await this.invoices.approve(actor, id));
  }
}
