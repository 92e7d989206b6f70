import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { GasItem } from './gas-item.entity.js';
import { StockMovement, type StockReason } from './stock-movement.entity.js';

export interface OrderStock {
  id: number;
  gasItemId: number;
  quantity: number;
}

/**
 * Every change to an item's stock goes through here: a conditional UPDATE
 * (never read-then-write, so concurrent requests cannot oversell) and its
 * ledger row, in the caller's transaction. The CHECK constraints stop any
 * figure below zero whatever happens.
 */
@Injectable()
export class StockService {
  constructor(private readonly db: TransactionalConnection) {}

  /** Gives an order's reserved units back to what buyers can order (reject, cancel, expiry). */
  async release(actor: Actor | null, order: OrderStock, note?: string): Promise<void> {
    await this.change(actor, order.gasItemId, order.quantity, -order.quantity, 'RELEASE', { orderId: order.id, note });
  }

  /** Delivery: the reserved units leave the stock for good. */
  async consume(actor: Actor | null, order: OrderStock): Promise<void> {
    await this.change(actor, order.gasItemId, 0, -order.quantity, 'CONSUME', { orderId: order.id });
  }

  /** The opening balance of a new item. */
  async opened(actor: Actor, item: GasItem): Promise<void> {
    await this.record(actor, item.id, item.quantity, 0, 'INITIAL');
  }

  /** Adds units to an own item; undefined when the caller owns no such item. */
  async restock(actor: Actor, itemId: number, quantity: number, note?: string): Promise<boolean> {
    return this.db.transaction(async () => {
      const rows = await this.db.query(
        `UPDATE gas_inventory SET quantity = quantity + $1, version = version + 1, last_updated = now()
          WHERE id = $2 AND seller_id = $3 AND deleted_at IS NULL RETURNING id`,
        [quantity, itemId, actor.id],
      );
      if (rows.length === 0) return false;
      await this.record(actor, itemId, quantity, 0, 'RESTOCK', { note });
      return true;
    });
  }

  /** Records a hand-set available quantity (PATCH) as an ADJUSTMENT of the difference. */
  async adjusted(actor: Actor, itemId: number, from: number, to: number): Promise<void> {
    if (from !== to) await this.record(actor, itemId, to - from, 0, 'ADJUSTMENT');
  }

  async movements(_actor: Actor, itemId: number, query: PaginationQueryDto): Promise<Page<StockMovement>> {
    const [items, total] = await this.db
      .getRepository(StockMovement)
      .findAndCount({ where: { gasItemId: itemId }, order: { id: 'DESC' }, skip: query.offset, take: query.page_size });
    return new Page(items, total, query.page, query.page_size);
  }

  private async change(
    actor: Actor | null,
    itemId: number,
    quantityChange: number,
    reservedChange: number,
    reason: StockReason,
    extra: { orderId?: number; note?: string },
  ): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.query(
        `UPDATE gas_inventory
            SET quantity = quantity + $1, reserved_quantity = reserved_quantity + $2,
                version = version + 1, last_updated = now()
          WHERE id = $3`,
        [quantityChange, reservedChange, itemId],
      );
      await this.record(actor, itemId, quantityChange, reservedChange, reason, extra);
    });
  }

  private async record(
    actor: Actor | null,
    itemId: number,
    quantityChange: number,
    reservedChange: number,
    reason: StockReason,
    extra: { orderId?: number; note?: string } = {},
  ): Promise<void> {
    // Placing an order reserves its stock and writes this row inside place_order (migration
    // PlaceOrderFunction): a change to the ledger or to how stock is reserved changes that too.
    await this.db.query(
      `INSERT INTO stock_movements (gas_inventory_id, quantity_change, reserved_change, reason, order_id, actor_id, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [itemId, quantityChange, reservedChange, reason, extra.orderId ?? null, actor?.id ?? null, extra.note ?? null],
    );
  }
}
