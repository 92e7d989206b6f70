import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STOCK_REASONS = ['INITIAL', 'RESTOCK', 'ADJUSTMENT', 'RESERVE', 'RELEASE', 'CONSUME'] as const;
export type StockReason = (typeof STOCK_REASONS)[number];

/** One change to an item's stock. Append-only: the database refuses updates and deletes. */
@Entity('stock_movements')
export class StockMovement {
  /** bigserial: pg returns it as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'gas_inventory_id', type: 'integer' })
  gasItemId: number;

  @Column({ name: 'quantity_change', type: 'integer' })
  quantityChange: number;

  @Column({ name: 'reserved_change', type: 'integer' })
  reservedChange: number;

  @Column({ type: 'varchar', length: 12 })
  reason: StockReason;

  @Column({ name: 'order_id', type: 'integer', nullable: true })
  orderId: number | null;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
