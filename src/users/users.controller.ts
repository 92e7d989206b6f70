import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { ApiConflict, ApiNotFound, ApiValidationErrors } from '../common/http/api-errors.js';
import { IdParam } from '../common/http/parse-id.pipe.js';
import { UpdateUserDto } from './dto/create-user.dto.js';
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
  @Paginated(ProfileResponseDto)
  async list(@CurrentUser() actor: Actor, @Query() query: PaginationQueryDto): Promise<Page<ProfileResponseDto>> {
    return (await this.users.list(actor, query)).map((user) => toProfileResponse(user));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A profile: contact details only for the user, admins, and sellers the user ordered from' })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiNotFound('The profile')
  @ApiValidationErrors()
  async get(@CurrentUser() actor: Actor, @IdParam() id: number): Promise<ProfileResponseDto> {
    const { user, contacts } = await this.users.getVisible(actor, id);
    return toProfileResponse(user, contacts);
  }

  @Patch(':id')
  @Roles('ADMIN')
  @ApiOperation({ summary: "Activate or deactivate a user, or change their role (admin); a deactivated user's tokens stop working at once" })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiNotFound('The profile')
  @ApiValidationErrors()
  @ApiConflict('invalid_transition')
  async update(@CurrentUser() actor: Actor, @IdParam() id: number, @Body() dto: UpdateUserDto): Promise<ProfileResponseDto> {
    return toProfileResponse(await this.users.updateByAdmin(actor, id, dto));
  }
}
