import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { RatingsController } from './ratings.controller.js';
import { RatingsService } from './ratings.service.js';

@Module({
  imports: [OrdersModule],
  controllers: [RatingsController],
  providers: [RatingsService],
})
export class RatingsModule {}
