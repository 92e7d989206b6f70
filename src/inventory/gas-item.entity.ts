import { Column, CreateDateColumn, DeleteDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/** A seller's stock of one kind of cylinder (brand × weight) at one location. */
@Entity('gas_inventory')
export class GasItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'seller_id', type: 'integer' })
  sellerId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'seller_id' })
  seller?: User;

  @Column({ name: 'brand_code', type: 'varchar', length: 20 })
  brand: string;

  /** numeric(5,1): pg returns it as a string. */
  @Column({ name: 'weight_kg', type: 'numeric', precision: 5, scale: 1 })
  weightKg: string;

  /** Units a buyer can still order. */
  @Column({ type: 'integer' })
  quantity: number;

  /** Units held by open (PENDING or APPROVED) orders. */
  @Column({ name: 'reserved_quantity', type: 'integer', default: 0 })
  reservedQuantity: number;

  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2 })
  unitPrice: string;

  @Column({ type: 'varchar', length: 255 })
  location: string;

  /** `lower(location)`, kept by PostgreSQL for the location filter (migration LocationLower). */
  @Column({
    name: 'location_lower',
    type: 'varchar',
    length: 255,
    generatedType: 'STORED',
    asExpression: 'lower("location")',
    insert: false,
    update: false,
    select: false,
  })
  locationLower?: string;

  /** The item's JSON in the lists, before and after its seller's name: kept by PostgreSQL (migration StoredListJson). */
  @Column({ name: 'list_json_head', type: 'text', insert: false, update: false, select: false })
  listJsonHead?: string;

  @Column({ name: 'list_json_tail', type: 'text', insert: false, update: false, select: false })
  listJsonTail?: string;

  /** Whether the seller is active, kept by PostgreSQL (migration MarketplaceActiveSellers): the marketplace lists active sellers' items only. */
  @Column({ name: 'seller_active', type: 'boolean', default: true, insert: false, update: false, select: false })
  sellerActive?: boolean;

  @CreateDateColumn({ name: 'date_added', type: 'timestamptz' })
  dateAdded: Date;

  @UpdateDateColumn({ name: 'last_updated', type: 'timestamptz' })
  lastUpdated: Date;

  /** Bumped by every change, stock movements included: the item's ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** Deleted items are kept (orders still point at them) but hidden everywhere else. */
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt: Date | null;
}
