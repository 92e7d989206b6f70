import type { JsonListSql } from '../common/json-list-sql.js';
import type { GasItem } from '../inventory/gas-item.entity.js';
import type { User } from '../users/user.entity.js';
import type { CreateOrderDto } from './dto/order.dto.js';
import { OPEN_ORDER_STATUSES, type OrderStatus } from './order-status.js';
import type { Order } from './order.entity.js';

/**
 * Orders as the lists read them: plain SQL and rows mapped by hand (see
 * gas-item.rows.ts). Of the item, the fields an order shows; of each party,
 * the name. Soft-deleted items still show in past orders.
 */
export const ORDER_SELECT = `o.id, o.gas_inventory_id, o.buyer_id, o.seller_id, o.quantity, o.unit_price, o.total_price, o.status,
  o.status_reason, o.delivery_address, o.contact_phone, o.created_at, o.updated_at,
  g.brand_code AS item_brand_code, g.weight_kg AS item_weight_kg, g.location AS item_location,
  b.username AS buyer_username, b.first_name AS buyer_first_name, b.last_name AS buyer_last_name,
  s.username AS seller_username, s.first_name AS seller_first_name, s.last_name AS seller_last_name`;

export const ORDER_FROM = `FROM orders o
  LEFT JOIN gas_inventory g ON g.id = o.gas_inventory_id
  LEFT JOIN users b ON b.id = o.buyer_id
  LEFT JOIN users s ON s.id = o.seller_id`;

/**
 * The order lists: each order as its response's JSON text (`toOrderResponse`),
 * which the lists send as it comes. PostgreSQL keeps each order's text, but for
 * its buyer's and seller's names, in the order's row, and the names in theirs
 * (migration StoredListJson), so a page joins texts instead of writing 50
 * orders' JSON on every read (docs/performance.md, twelfth pass). The joins
 * only add the names, so counts read the orders alone.
 */
export const ORDER_LIST: JsonListSql = {
  json: `o.list_json_head || ',"buyer_name":' || coalesce(b.name_json, 'null') || ',"seller":' || o.seller_id
    || ',"seller_name":' || coalesce(s.name_json, 'null') || o.list_json_tail`,
  from: 'FROM orders o LEFT JOIN users b ON b.id = o.buyer_id LEFT JOIN users s ON s.id = o.seller_id',
  countFrom: 'FROM orders o',
};

/**
 * Placing an order, in one round trip: the `place_order` function (migration
 * PlaceOrderFunction) locks the buyer, counts their open orders, reserves the
 * stock and writes the order, its ledger row and its audit row, or writes
 * nothing and says why; it returns the new order's row. Shared with the
 * bench's reference server.
 */
export const PLACE_ORDER = 'SELECT * FROM place_order($1, $2, $3, $4, $5, $6, $7, $8)';

export interface OrderRow {
  id: number;
  gas_inventory_id: number;
  buyer_id: number;
  seller_id: number;
  quantity: number;
  unit_price: string;
  total_price: string;
  status: OrderStatus;
  status_reason: string | null;
  delivery_address: string;
  contact_phone: string;
  created_at: Date;
  updated_at: Date;
  item_brand_code: string;
  item_weight_kg: string;
  item_location: string;
  buyer_username: string;
  buyer_first_name: string;
  buyer_last_name: string;
  seller_username: string;
  seller_first_name: string;
  seller_last_name: string;
}

export function orderFromRow(row: OrderRow): Order {
  return {
    id: row.id,
    gasItemId: row.gas_inventory_id,
    gasItem: { id: row.gas_inventory_id, brand: row.item_brand_code, weightKg: row.item_weight_kg, location: row.item_location } as GasItem,
    buyerId: row.buyer_id,
    buyer: { id: row.buyer_id, username: row.buyer_username, firstName: row.buyer_first_name, lastName: row.buyer_last_name } as User,
    sellerId: row.seller_id,
    seller: { id: row.seller_id, username: row.seller_username, firstName: row.seller_first_name, lastName: row.seller_last_name } as User,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    totalPrice: row.total_price,
    status: row.status,
    statusReason: row.status_reason,
    deliveryAddress: row.delivery_address,
    contactPhone: row.contact_phone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The parameters of `PLACE_ORDER`: the buyer, what they ask for, the most open
 * orders they may hold (which statuses count as open is `OPEN_ORDER_STATUSES`)
 * and the request id its audit row records.
 */
export function placeOrderValues(buyerId: number, order: CreateOrderDto, maxOpen: number, requestId: string | null): unknown[] {
  return [buyerId, order.gas_inventory, order.quantity, maxOpen, OPEN_ORDER_STATUSES, order.delivery_address, order.contact_phone, requestId];
}

/** What `PLACE_ORDER` returns: why nothing was written, or the new order as the lists read it. */
export type PlaceOrderResult =
  | { outcome: 'inactive' | 'limit' | 'not_found' }
  | { outcome: 'short'; available: number }
  | ({ outcome: 'placed' } & OrderRow);
