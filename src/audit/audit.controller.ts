import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Roles } from '../common/auth/decorators.js';
import { ApiValidationErrors } from '../common/http/api-errors.js';
import { Paginated } from '../common/http/paginated.decorator.js';
import { Page } from '../common/pagination.js';
import { AuditService } from './audit.service.js';
import { AuditEntryResponseDto, AuditQueryDto, toAuditEntryResponse } from './dto/audit.dto.js';

@ApiTags('audit')
@Authenticated()
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('ADMIN')
  @ApiOperation({ summary: 'The audit trail, newest first; filter by object, actor and time' })
  @Paginated(AuditEntryResponseDto)
  @ApiValidationErrors()
  async list(@CurrentUser() actor: Actor, @Query() query: AuditQueryDto): Promise<Page<AuditEntryResponseDto>> {
    return (await this.audit.list(actor, query)).map(toAuditEntryResponse);
  }
}
