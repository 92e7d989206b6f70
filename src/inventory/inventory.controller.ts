import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { ApiPaginated } from '../common/http/api-paginated.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { GasItemQueryDto } from './dto/gas-item-query.dto.js';
import { GasItemResponseDto, toGasItemResponse } from './dto/gas-item-response.dto.js';
import { CreateGasItemDto, UpdateGasItemDto } from './dto/gas-item.dto.js';
import { InventoryService } from './inventory.service.js';

@ApiTags('inventory')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get('gas')
  @ApiOperation({ summary: 'Items in stock from every seller; also served at GET /api/inventory/' })
  @ApiPaginated(GasItemResponseDto)
  async browse(@CurrentUser() actor: Actor, @Query() query: GasItemQueryDto): Promise<Page<GasItemResponseDto>> {
    return (await this.inventory.browse(actor, query)).map(toGasItemResponse);
  }

  @Get('seller/inventory')
  @Roles('SELLER')
  @ApiOperation({ summary: "The seller's own items, including those at zero; also at /api/inventory/my_inventory/" })
  @ApiPaginated(GasItemResponseDto)
  async mine(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<GasItemResponseDto>> {
    return (await this.inventory.mine(actor, query)).map(toGasItemResponse);
  }

  @Post('inventory')
  @Roles('SELLER')
  @ApiOperation({ summary: 'Add stock; also served at POST /api/v1/seller/inventory/' })
  @ApiCreatedResponse({ type: GasItemResponseDto })
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateGasItemDto): Promise<GasItemResponseDto> {
    return toGasItemResponse(await this.inventory.create(actor, dto));
  }

  @Get('inventory/:id')
  @ApiOperation({ summary: 'One item' })
  @ApiOkResponse({ type: GasItemResponseDto })
  @ApiNotFound('The item')
  async get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<GasItemResponseDto> {
    return toGasItemResponse(await this.inventory.get(actor, id));
  }

  @Patch('inventory/:id')
  @Roles('SELLER')
  @ApiOperation({ summary: 'Edit an own item; `quantity` sets the units available to order' })
  @ApiOkResponse({ type: GasItemResponseDto })
  @ApiNotFound('The item')
  async update(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: UpdateGasItemDto): Promise<GasItemResponseDto> {
    return toGasItemResponse(await this.inventory.update(actor, id, dto));
  }

  @Put('inventory/:id')
  @Roles('SELLER')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: GasItemResponseDto })
  @ApiNotFound('The item')
  async replace(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: UpdateGasItemDto): Promise<GasItemResponseDto> {
    return toGasItemResponse(await this.inventory.update(actor, id, dto));
  }

  @Delete('inventory/:id')
  @Roles('SELLER')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an own item' })
  @ApiNoContentResponse()
  @ApiNotFound('The item')
  @ApiConflict('in_use')
  remove(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<void> {
    return this.inventory.remove(actor, id);
  }
}
