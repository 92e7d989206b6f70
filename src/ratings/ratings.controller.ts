import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { CreateRatingDto, RatingResponseDto, toRatingResponse } from './dto/rating.dto.js';
import { RatingsService } from './ratings.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('ratings')
@Authenticated()
@ApiValidationErrors()
@Controller()
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  @Post('feedback')
  @Roles('BUYER')
  @Idempotent()
  @ApiOperation({ summary: 'Rate your delivered order (once); also served at POST /api/ratings/' })
  @ApiCreatedResponse({ type: RatingResponseDto })
  @ApiNotFound('The order')
  @ApiConflict('invalid_transition, already_exists')
  async create(@CurrentUser() actor: Actor, @Body() dto: CreateRatingDto): Promise<RatingResponseDto> {
    return toRatingResponse(await this.ratings.create(actor, dto));
  }

  @Get('ratings')
  @ApiOperation({ summary: 'Ratings the caller can see (admin: all, buyer: own, seller: on own items)' })
  @Paginated(RatingResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<RatingResponseDto>> {
    return (await this.ratings.list(actor, query)).map(toRatingResponse);
  }

  @Get('ratings/:id')
  @ApiOperation({ summary: 'One rating' })
  @ApiOkResponse({ type: RatingResponseDto })
  @ApiNotFound('The rating')
  async get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<RatingResponseDto> {
    return toRatingResponse(await this.ratings.get(actor, id));
  }
}
