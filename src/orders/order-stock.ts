import { EntityManager } from 'typeorm';
import { InsufficientStockError, NotFoundError } from '../common/errors.js';
import { returning } from '../common/sql.js';
import { GasItem } from '../inventory/gas-item.entity.js';
import { StockEffect } from './order-status.js';

/**
 * Every change an order makes to an item's stock, as conditional UPDATEs in
 * the caller's transaction: never read-then-write, so concurrent requests
 * cannot oversell, and the CHECK constraints stop any figure below zero.
 */
export async function reserveStock(
  em: EntityManager,
  itemId: number,
  quantity: number,
): Promise<{ sellerId: number; unitPrice: string }> {
  const [row] = await returning<{ seller_id: number; unit_price: string }>(
    em,
    `UPDATE gas_inventory
        SET quantity = quantity - $1, reserved_quantity = reserved_quantity + $1, last_updated = now()
      WHERE id = $2 AND deleted_at IS NULL AND quantity >= $1
      RETURNING seller_id, unit_price`,
    [quantity, itemId],
  );
  if (row) return { sellerId: row.seller_id, unitPrice: row.unit_price };
  const item = await em.findOneBy(GasItem, { id: itemId });
  if (!item) throw new NotFoundError('Inventory item');
  throw new InsufficientStockError(item.quantity);
}

const EFFECT_SQL: Record<Exclude<StockEffect, 'none'>, string> = {
  release: `UPDATE gas_inventory
               SET quantity = quantity + $1, reserved_quantity = reserved_quantity - $1, last_updated = now()
             WHERE id = $2`,
  consume: `UPDATE gas_inventory
               SET reserved_quantity = reserved_quantity - $1, last_updated = now()
             WHERE id = $2`,
};

export async function applyStockEffect(em: EntityManager, effect: StockEffect, itemId: number, quantity: number): Promise<void> {
  if (effect === 'none') return;
  await em.query(EFFECT_SQL[effect], [quantity, itemId]);
}
