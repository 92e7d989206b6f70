import { Module } from '@nestjs/common';
import { BrandsModule } from '../brands/brands.module.js';
import { InventoryController } from './inventory.controller.js';
import { InventoryService } from './inventory.service.js';
import { StockService } from './stock.service.js';

@Module({
  imports: [BrandsModule],
  controllers: [InventoryController],
  providers: [InventoryService, StockService],
  exports: [InventoryService, StockService],
})
export class InventoryModule {}
