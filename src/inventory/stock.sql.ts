/**
 * The stock statements placing an order runs (`StockService.reserve` and its
 * ledger row), shared with the bench's reference server so both run the same
 * SQL by construction.
 */

/**
 * Takes `$1` units of item `$2` from available into reserved, only if that
 * many are available: one conditional UPDATE, so concurrent orders can never
 * oversell. Returns what the order's response shows of the item and its seller.
 */
export const RESERVE_STOCK = `UPDATE gas_inventory
    SET quantity = quantity - $1, reserved_quantity = reserved_quantity + $1,
        version = version + 1, last_updated = now()
  WHERE id = $2 AND deleted_at IS NULL AND quantity >= $1
  RETURNING id, seller_id, unit_price, brand_code, weight_kg, location,
            (SELECT json_build_object('username', u.username, 'first_name', u.first_name, 'last_name', u.last_name)
               FROM users u WHERE u.id = gas_inventory.seller_id) AS seller`;

/** What `RESERVE_STOCK` returns: what the order's response shows of the item (price, kind, place) and of its seller. */
export interface ReservedRow {
  id: number;
  seller_id: number;
  unit_price: string;
  brand_code: string;
  weight_kg: string;
  location: string;
  seller: { username: string; first_name: string; last_name: string };
}

/** After a refused reservation: whether the item exists (404) and how many units it has (409). */
export const AVAILABLE_QUANTITY = 'SELECT quantity FROM gas_inventory WHERE id = $1 AND deleted_at IS NULL';

/** One row of an item's stock ledger. */
export const INSERT_STOCK_MOVEMENT = `INSERT INTO stock_movements (gas_inventory_id, quantity_change, reserved_change, reason, order_id, actor_id, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
