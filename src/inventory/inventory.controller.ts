import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { Page, PaginationQueryDto, type JsonPage } from '../common/pagination.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { GasItemQueryDto } from './dto/gas-item-query.dto.js';
import { GasItemResponseDto, toGasItemResponse } from './dto/gas-item-response.dto.js';
import { CreateGasItemDto, RestockDto, UpdateGasItemDto } from './dto/gas-item.dto.js';
import { StockMovementResponseDto, toStockMovementResponse } from './dto/stock-movement.dto.js';
import { etagOf, expectedVersion } from './etag.js';
import { GasItem } from './gas-item.entity.js';
import { InventoryService } from './inventory.service.js';
import { NoBodyDto } from '../common/http/no-body.dto.js';

const ETAG_HEADER = { headers: { ETag: { description: 'Version of the item, for If-Match', schema: { type: 'string' } } } };
const IfMatch = () =>
  ApiHeader({ name: 'If-Match', required: false, description: "The item's ETag; a stale one gets 412 precondition_failed." });

/** Sends an item with its ETag. */
function withEtag(reply: FastifyReply, item: GasItem): GasItemResponseDto {
  reply.header('ETag', etagOf(item));
  return toGasItemResponse(item);
}

@ApiTags('inventory')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get('gas')
  @ApiOperation({ summary: 'Items in stock from every seller; also served at GET /api/inventory/' })
  @Paginated(GasItemResponseDto)
  browse(@CurrentUser() actor: Actor, @Query() query: GasItemQueryDto): Promise<JsonPage<GasItemResponseDto>> {
    return this.inventory.browse(actor, query);
  }

  @Get('seller/inventory')
  @Roles('SELLER')
  @ApiOperation({ summary: "The seller's own items, including those at zero; also at /api/inventory/my_inventory/" })
  @Paginated(GasItemResponseDto)
  mine(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<JsonPage<GasItemResponseDto>> {
    return this.inventory.mine(actor, query);
  }

  @Post('inventory')
  @Roles('SELLER')
  @ApiOperation({ summary: 'Add stock; also served at POST /api/v1/seller/inventory/' })
  @ApiCreatedResponse({ type: GasItemResponseDto, ...ETAG_HEADER })
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateGasItemDto, @Res({ passthrough: true }) res: FastifyReply): Promise<GasItemResponseDto> {
    return withEtag(res, await this.inventory.create(actor, dto));
  }

  @Get('inventory/:id')
  @ApiOperation({ summary: 'One item' })
  @ApiOkResponse({ type: GasItemResponseDto, ...ETAG_HEADER })
  @ApiNotFound('The item')
  async get(@CurrentUser() actor: Actor, @IdParam() id: number, @Res({ passthrough: true }) res: FastifyReply): Promise<GasItemResponseDto> {
    return withEtag(res, await this.inventory.get(actor, id));
  }

  @Patch('inventory/:id')
  @Roles('SELLER')
  @IfMatch()
  @ApiOperation({ summary: 'Edit an own item; `quantity` sets the units available to order (recorded as an ADJUSTMENT)' })
  @ApiOkResponse({ type: GasItemResponseDto, ...ETAG_HEADER })
  @ApiNotFound('The item')
  @ApiPreconditionFailedResponse({ description: 'If-Match is stale (precondition_failed).', type: ErrorResponseDto })
  async update(
    @CurrentUser() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateGasItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GasItemResponseDto> {
    return withEtag(res, await this.inventory.update(actor, id, dto, expectedVersion(ifMatch, id)));
  }

  @Put('inventory/:id')
  @Roles('SELLER')
  @IfMatch()
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: GasItemResponseDto, ...ETAG_HEADER })
  @ApiNotFound('The item')
  @ApiPreconditionFailedResponse({ description: 'If-Match is stale (precondition_failed).', type: ErrorResponseDto })
  replace(
    @CurrentUser() actor: Actor,
    @IdParam() id: number,
    @Body() dto: UpdateGasItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GasItemResponseDto> {
    return this.update(actor, id, dto, ifMatch, res);
  }

  @Post('inventory/:id/restock')
  @Roles('SELLER')
  @HttpCode(HttpStatus.OK)
  @Idempotent()
  @ApiOperation({ summary: 'Add units to an own item (recorded as a RESTOCK)' })
  @ApiOkResponse({ type: GasItemResponseDto, ...ETAG_HEADER })
  @ApiNotFound('The item')
  async restock(
    @CurrentUser() actor: Actor,
    @IdParam() id: number,
    @Body() dto: RestockDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GasItemResponseDto> {
    return withEtag(res, await this.inventory.restock(actor, id, dto));
  }

  @Get('inventory/:id/movements')
  @Roles('SELLER', 'ADMIN')
  @ApiOperation({ summary: "The item's stock ledger, newest first (its seller and admins)" })
  @Paginated(StockMovementResponseDto)
  @ApiNotFound('The item')
  async movements(@CurrentUser() actor: Actor, @IdParam() id: number, @Query() query: PaginationQueryDto): Promise<Page<StockMovementResponseDto>> {
    return (await this.inventory.movements(actor, id, query)).map(toStockMovementResponse);
  }

  @Delete('inventory/:id')
  @Roles('SELLER')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an own item' })
  @ApiNoContentResponse()
  @ApiNotFound('The item')
  @ApiConflict('in_use')
  remove(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() _body: NoBodyDto): Promise<void> {
    return this.inventory.remove(actor, id);
  }
}
