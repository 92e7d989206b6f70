export interface StockMismatch {
  id: number;
  quantity: number;
  reserved_quantity: number;
  ledger_quantity: number;
  ledger_reserved: number;
  open_orders: number;
}

/**
 * Every item whose figures disagree with its ledger or with its open orders,
 * or that went below zero. Empty when the stock is right.
 */
export const STOCK_MISMATCHES_SQL = `
  SELECT g.id, g.quantity, g.reserved_quantity,
         COALESCE(m.quantity, 0)::int AS ledger_quantity,
         COALESCE(m.reserved, 0)::int AS ledger_reserved,
         COALESCE(o.open, 0)::int AS open_orders
    FROM gas_inventory g
    LEFT JOIN (SELECT gas_inventory_id, SUM(quantity_change) AS quantity, SUM(reserved_change) AS reserved
                 FROM stock_movements GROUP BY gas_inventory_id) m ON m.gas_inventory_id = g.id
    LEFT JOIN (SELECT gas_inventory_id, SUM(quantity) AS open
                 FROM orders WHERE status IN ('PENDING', 'APPROVED') GROUP BY gas_inventory_id) o ON o.gas_inventory_id = g.id
   WHERE g.quantity < 0 OR g.reserved_quantity < 0
      OR g.quantity <> COALESCE(m.quantity, 0)
      OR g.reserved_quantity <> COALESCE(m.reserved, 0)
      OR g.reserved_quantity <> COALESCE(o.open, 0)
   ORDER BY g.id`;

export async function findStockMismatches(db: { query(sql: string): Promise<unknown> }): Promise<StockMismatch[]> {
  const result = await db.query(STOCK_MISMATCHES_SQL);
  return ((result as { rows?: StockMismatch[] }).rows ?? result) as StockMismatch[];
}
