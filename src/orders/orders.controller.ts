import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import type { JsonPage } from '../common/pagination.js';
import { CreateOrderDto, OrderQueryDto, RejectOrderDto, UpdateOrderDto } from './dto/order.dto.js';
import { OrderResponseDto, toOrderResponse } from './dto/order-response.dto.js';
import { Order } from './order.entity.js';
import { rolesFor } from './order-status.js';
import { OrdersService } from './orders.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { NoBodyDto } from '../common/http/no-body.dto.js';

const one = async (order: Promise<Order>) => toOrderResponse(await order);

@ApiTags('orders')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get('orders')
  @ApiOperation({ summary: 'Orders the caller can see (admin: all, buyer: own, seller: on own items)' })
  @Paginated(OrderResponseDto)
  list(@CurrentUser() actor: Actor, @Query() query: OrderQueryDto): Promise<JsonPage<OrderResponseDto>> {
    return this.orders.list(actor, query);
  }

  @Get('orders/my_orders')
  @Roles('BUYER')
  @ApiOperation({ summary: "The buyer's own orders" })
  @Paginated(OrderResponseDto)
  myOrders(@CurrentUser() actor: Actor, @Query() query: OrderQueryDto): Promise<JsonPage<OrderResponseDto>> {
    return this.orders.list(actor, query);
  }

  @Get('seller/orders')
  @Roles('SELLER')
  @ApiOperation({ summary: "Orders on the seller's items; also at /api/orders/seller_orders/" })
  @Paginated(OrderResponseDto)
  sellerOrders(@CurrentUser() actor: Actor, @Query() query: OrderQueryDto): Promise<JsonPage<OrderResponseDto>> {
    return this.orders.list(actor, query);
  }

  @Get('admin/orders/pending')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Orders waiting for approval' })
  @Paginated(OrderResponseDto)
  pending(@CurrentUser() actor: Actor, @Query() query: OrderQueryDto): Promise<JsonPage<OrderResponseDto>> {
    return this.orders.list(actor, Object.assign(query, { status: 'PENDING' }));
  }

  @Post('orders')
  @Roles('BUYER')
  @Idempotent()
  @ApiOperation({ summary: 'Place an order; reserves the stock at once' })
  @ApiCreatedResponse({ type: OrderResponseDto })
  @ApiNotFound('The inventory item')
  @ApiConflict('insufficient_stock')
  place(@CurrentUser() actor: Actor, @Body() dto: CreateOrderDto): Promise<OrderResponseDto> {
    return one(this.orders.place(actor, dto));
  }

  @Get('orders/:id')
  @ApiOperation({ summary: 'One order' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<OrderResponseDto> {
    return one(this.orders.get(actor, id));
  }

  @Patch('orders/:id')
  @Roles('BUYER')
  @ApiOperation({ summary: 'Change delivery_address or contact_phone while PENDING' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  update(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: UpdateOrderDto): Promise<OrderResponseDto> {
    return one(this.orders.update(actor, id, dto));
  }

  @Delete('orders/:id')
  @Roles(...rolesFor('withdraw'))
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Cancel a PENDING order (the record is kept)' })
  @ApiNoContentResponse()
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  async withdraw(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<void> {
    await this.orders.transition(actor, id, 'withdraw');
  }

  @Post('orders/:id/approve')
  @Roles(...rolesFor('approve'))
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a PENDING order' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  approve(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<OrderResponseDto> {
    return one(this.orders.transition(actor, id, 'approve'));
  }

  @Post('orders/:id/reject')
  @Roles(...rolesFor('reject'))
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject a PENDING order; releases its stock' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  reject(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: RejectOrderDto): Promise<OrderResponseDto> {
    return one(this.orders.transition(actor, id, 'reject', dto.reason));
  }

  @Post('orders/:id/cancel')
  @Roles(...rolesFor('cancel'))
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The buyer cancels a PENDING or APPROVED order; releases its stock' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  cancel(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<OrderResponseDto> {
    return one(this.orders.transition(actor, id, 'cancel'));
  }

  @Post('orders/:id/mark-delivered')
  @Roles(...rolesFor('deliver'))
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark an APPROVED order delivered; consumes its reservation' })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition')
  deliver(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<OrderResponseDto> {
    return one(this.orders.transition(actor, id, 'deliver'));
  }
}
