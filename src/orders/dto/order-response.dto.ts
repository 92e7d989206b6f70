import { ApiProperty } from '@nestjs/swagger';
import { formatMoney } from '../../common/money.js';
import { isoTimestamp } from '../../common/timestamps.js';
import { displayName } from '../../users/dto/user-response.dto.js';
import { Order } from '../order.entity.js';
import { ORDER_STATUSES, type OrderStatus } from '../order-status.js';

export class GasDetailsDto {
  @ApiProperty({ example: 'JIBU' }) brand: string;
  @ApiProperty({ example: 13 }) weight_kg: number;
  @ApiProperty({ example: '2500.00', description: 'The unit price the order was placed at.' }) unit_price: string;
  @ApiProperty() location: string;
}

export class OrderResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Inventory item id.' }) gas_inventory: number;
  @ApiProperty({ type: GasDetailsDto }) gas_details: GasDetailsDto;
  @ApiProperty() buyer: number;
  @ApiProperty() buyer_name: string;
  @ApiProperty() seller: number;
  @ApiProperty() seller_name: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ example: '5000.00' }) total_price: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty() delivery_address: string;
  @ApiProperty() contact_phone: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

/** Expects `gasItem`, `buyer` and `seller` joined (see OrdersQueries.base). */
export function toOrderResponse(order: Order): OrderResponseDto {
  const item = order.gasItem!;
  return {
    id: order.id,
    gas_inventory: order.gasItemId,
    gas_details: {
      brand: item.brand,
      weight_kg: Number(item.weightKg),
      unit_price: formatMoney(order.unitPrice),
      location: item.location,
    },
    buyer: order.buyerId,
    buyer_name: displayName(order.buyer!),
    seller: order.sellerId,
    seller_name: displayName(order.seller!),
    quantity: order.quantity,
    total_price: formatMoney(order.totalPrice),
    status: order.status,
    delivery_address: order.deliveryAddress,
    contact_phone: order.contactPhone,
    created_at: isoTimestamp(order.createdAt),
    updated_at: isoTimestamp(order.updatedAt),
  };
}
