import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { GasItem } from '../inventory/gas-item.entity.js';
import { User } from '../users/user.entity.js';
import type { OrderStatus } from './order-status.js';

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'gas_inventory_id', type: 'integer' })
  gasItemId: number;

  @ManyToOne(() => GasItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gas_inventory_id' })
  gasItem?: GasItem;

  @Column({ name: 'buyer_id', type: 'integer' })
  buyerId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'buyer_id' })
  buyer?: User;

  /** Copied from the item at placement so "orders on my items" is one indexed lookup. */
  @Column({ name: 'seller_id', type: 'integer' })
  sellerId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'seller_id' })
  seller?: User;

  @Column({ type: 'integer' })
  quantity: number;

  /** The item's price when the order was placed. */
  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2 })
  unitPrice: string;

  @Column({ name: 'total_price', type: 'numeric', precision: 14, scale: 2 })
  totalPrice: string;

  @Column({ type: 'varchar', length: 10 })
  status: OrderStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'delivery_address', type: 'text' })
  deliveryAddress: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 32 })
  contactPhone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** The order's JSON in the lists, before and after its buyer's and seller's names: kept by PostgreSQL (migration StoredListJson). */
  @Column({ name: 'list_json_head', type: 'text', insert: false, update: false, select: false })
  listJsonHead?: string;

  @Column({ name: 'list_json_tail', type: 'text', insert: false, update: false, select: false })
  listJsonTail?: string;
}
