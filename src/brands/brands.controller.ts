import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Paginated } from '../common/http/paginated.decorator.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiValidationErrors } from '../common/http/api-errors.js';
import { BrandsService } from './brands.service.js';
import { BrandResponseDto, CreateBrandDto, toBrandResponse } from './dto/brand.dto.js';

@ApiTags('brands')
@Authenticated()
@Controller('brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Get()
  @ApiOperation({ summary: 'The brand catalogue' })
  @Paginated(BrandResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<BrandResponseDto>> {
    return (await this.brands.list(actor, query)).map(toBrandResponse);
  }

  @Post()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add a brand (admin)' })
  @ApiCreatedResponse({ type: BrandResponseDto })
  @ApiValidationErrors()
  @ApiConflict('already_exists')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateBrandDto): Promise<BrandResponseDto> {
    return toBrandResponse(await this.brands.create(actor, dto));
  }
}
