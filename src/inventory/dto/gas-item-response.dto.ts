import { ApiProperty } from '@nestjs/swagger';
import { formatMoney } from '../../common/money.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { displayName } from '../../users/dto/user-response.dto.js';
import { GasItem } from '../gas-item.entity.js';

export class GasItemResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'JIBU' }) brand: string;
  @ApiProperty({ example: 13 }) weight_kg: number;
  @ApiProperty({ description: 'Units a buyer can still order.' }) quantity: number;
  @ApiProperty({ description: 'Units held by open orders.' }) reserved_quantity: number;
  @ApiProperty({ example: '2500.00' }) unit_price: string;
  @ApiProperty({ description: 'Seller user id.' }) seller: number;
  @ApiProperty() seller_name: string;
  @ApiProperty() location: string;
  @ApiProperty({ format: 'date-time' }) date_added: string;
  @ApiProperty({ format: 'date-time' }) last_updated: string;
}

/** Expects `seller` joined. */
export function toGasItemResponse(item: GasItem): GasItemResponseDto {
  return {
    id: item.id,
    brand: item.brand,
    weight_kg: Number(item.weightKg),
    quantity: item.quantity,
    reserved_quantity: item.reservedQuantity,
    unit_price: formatMoney(item.unitPrice),
    seller: item.sellerId,
    seller_name: item.seller ? displayName(item.seller) : '',
    location: item.location,
    date_added: isoTimestamp(item.dateAdded),
    last_updated: isoTimestamp(item.lastUpdated),
  };
}
