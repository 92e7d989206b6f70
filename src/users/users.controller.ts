import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { ApiPaginated } from '../common/http/api-paginated.js';
import { ProfileResponseDto, toProfileResponse } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('profiles')
@Authenticated()
@Controller('profiles')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: "The caller's profile" })
  @ApiOkResponse({ type: ProfileResponseDto })
  async me(@CurrentUser() actor: Actor): Promise<ProfileResponseDto> {
    return toProfileResponse(await this.users.me(actor));
  }

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'All profiles (admin)' })
  @ApiPaginated(ProfileResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<ProfileResponseDto>> {
    return (await this.users.list(actor, query)).map(toProfileResponse);
  }
}
