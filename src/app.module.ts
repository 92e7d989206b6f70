import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module.js';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccessTokenModule } from './auth/access-token.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BrandsModule } from './brands/brands.module.js';
import { JwtAuthGuard } from './common/auth/jwt-auth.guard.js';
import { RolesGuard } from './common/auth/roles.guard.js';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter.js';
import { AppValidationPipe } from './common/http/validation.pipe.js';
import { RouteMetadata, routeMetadata } from './common/route-metadata.js';
import { LifecycleModule } from './common/lifecycle/lifecycle.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { AppThrottlerGuard } from './common/throttling/app-throttler.guard.js';
import { ThrottlingModule } from './common/throttling/throttling.module.js';
import { appConfig } from './config/app.config.js';
import { DatabaseConnectionModule } from './database/database-connection.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { InvoicesModule } from './invoices/invoices.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { RatingsModule } from './ratings/ratings.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, load: [appConfig] }),
    DatabaseModule,
    DatabaseConnectionModule,
    ScheduleModule.forRoot(),
    AuditModule,
    HealthModule,
    UsersModule,
    AccessTokenModule,
    AuthModule,
    BrandsModule,
    InventoryModule,
    OrdersModule,
    InvoicesModule,
    PaymentsModule,
    RatingsModule,
    LoggingModule,
    ThrottlingModule,
    LifecycleModule,
  ],
  providers: [
    { provide: RouteMetadata, useValue: routeMetadata },
    // First: rate limits count anonymous and badly authenticated requests too.
    { provide: APP_GUARD, useClass: AppThrottlerGuard },
    // Deny by default: every route needs a token unless @Public(); @Roles narrows it.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
