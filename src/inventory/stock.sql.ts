/**
 * The stock ledger's statement (`StockService`). Placing an order reserves
 * stock and writes its ledger row inside `place_order` (migration
 * PlaceOrderFunction), so a change to `stock_movements` or to how stock is
 * reserved replaces that function too.
 */

/** One row of an item's stock ledger. */
export const INSERT_STOCK_MOVEMENT = `INSERT INTO stock_movements (gas_inventory_id, quantity_change, reserved_change, reason, order_id, actor_id, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;
