import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../common/auth/decorators.js';
import { SchemaHealthIndicator } from './schema.health.js';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly schema: SchemaHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'The process can serve: the database answers and holds every migration of this build (503 otherwise)' })
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.schema.check('schema')]);
    } catch (error) {
      // The contract's error shape keeps only `detail`: it names what is not ready, and why.
      if (error instanceof ServiceUnavailableException) throw new ServiceUnavailableException(notReady(error.getResponse() as HealthCheckResult));
      throw error;
    }
  }
}

/** `Not ready: schema: 1 migration(s) pending (...)`: each failing check's message, from terminus's result. */
function notReady(result: HealthCheckResult): string {
  const failing = Object.entries(result.error ?? {}).map(([key, value]) => {
    const message = (value as { message?: unknown } | undefined)?.message;
    return `${key}: ${typeof message === 'string' ? message : 'down'}`;
  });
  return `Not ready: ${failing.join('; ') || 'a check failed'}`;
}
