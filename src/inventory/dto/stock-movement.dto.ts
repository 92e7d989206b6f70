import { ApiProperty } from '@nestjs/swagger';
import { isoTimestamp } from '../../common/timestamps.js';
import { StockMovement, STOCK_REASONS, type StockReason } from '../stock-movement.entity.js';

export class StockMovementResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Inventory item id.' }) gas_inventory: number;
  @ApiProperty({ description: 'Change to the units available to order.' }) quantity_change: number;
  @ApiProperty({ description: 'Change to the units held by open orders.' }) reserved_change: number;
  @ApiProperty({ enum: STOCK_REASONS }) reason: StockReason;
  @ApiProperty({ nullable: true, type: Number }) order: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'User who made the change; null for the system.' }) actor: number | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export function toStockMovementResponse(movement: StockMovement): StockMovementResponseDto {
  return {
    id: Number(movement.id),
    gas_inventory: movement.gasItemId,
    quantity_change: movement.quantityChange,
    reserved_change: movement.reservedChange,
    reason: movement.reason,
    order: movement.orderId,
    actor: movement.actorId,
    note: movement.note,
    created_at: isoTimestamp(movement.createdAt),
  };
}
