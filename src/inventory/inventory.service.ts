import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { BrandsService } from '../brands/brands.service.js';
import type { Actor } from '../common/auth/actor.js';
import { InUseError, NotFoundError, PreconditionFailedError } from '../common/errors.js';
import { Page, PaginationQueryDto, parseOrdering, selectJsonPage, type JsonPage } from '../common/pagination.js';
import { SqlWhere } from '../common/sql.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { GasItemQueryDto, GAS_ORDERING } from './dto/gas-item-query.dto.js';
import type { GasItemResponseDto } from './dto/gas-item-response.dto.js';
import { CreateGasItemDto, RestockDto, UpdateGasItemDto } from './dto/gas-item.dto.js';
import { GasItem } from './gas-item.entity.js';
import { GAS_ITEM_FROM, GAS_ITEM_LIST, GAS_ITEM_SELECT, gasItemFromRow, LOCATION_CONTAINS, ON_THE_MARKET, type GasItemRow } from './gas-item.rows.js';
import { StockMovement } from './stock-movement.entity.js';
import { StockService } from './stock.service.js';

/** The fields an audit row shows of an item. */
const auditView = (item: Pick<GasItem, 'brand' | 'weightKg' | 'quantity' | 'unitPrice' | 'location'>) => ({
  brand: item.brand,
  weight_kg: Number(item.weightKg),
  quantity: item.quantity,
  unit_price: item.unitPrice,
  location: item.location,
});

@Injectable()
export class InventoryService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly brands: BrandsService,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  /** The marketplace: every active seller's items that still have units to order. */
  async browse(_actor: Actor, query: GasItemQueryDto): Promise<JsonPage<GasItemResponseDto>> {
    const where = new SqlWhere().and(ON_THE_MARKET);
    if (query.brand) where.and('g.brand_code = ?', query.brand.toUpperCase());
    if (query.weight !== undefined) where.and('g.weight_kg = ?', query.weight);
    if (query.location) where.and(LOCATION_CONTAINS, query.location);
    if (query.min_price) where.and('g.unit_price >= ?', query.min_price);
    if (query.max_price) where.and('g.unit_price <= ?', query.max_price);
    if (query.seller) where.and('g.seller_id = ?', query.seller);
    if (query.search) where.and(`strpos(lower(g.brand_code), (SELECT lower(?))) > 0 OR ${LOCATION_CONTAINS}`, query.search, query.search);
    const { column, direction } = parseOrdering(query.ordering, GAS_ORDERING, '-date_added');
    return this.page(where, `${column} ${direction}, g.id ${direction}`, query);
  }

  /** A seller's own items, including those at zero. */
  async mine(actor: Actor, query: PaginationQueryDto): Promise<JsonPage<GasItemResponseDto>> {
    const where = new SqlWhere().and('g.seller_id = ?', actor.id).and('g.deleted_at IS NULL');
    return this.page(where, 'g.date_added DESC, g.id DESC', query);
  }

  /** One item; a deactivated seller's items are out of the marketplace, and only admins and the seller still see them. */
  async get(actor: Actor, id: number): Promise<GasItem> {
    const [row] = await this.db.query<GasItemRow>(
      `SELECT ${GAS_ITEM_SELECT} ${GAS_ITEM_FROM} WHERE g.id = $1 AND g.deleted_at IS NULL AND (g.seller_active OR $2 OR g.seller_id = $3)`,
      [id, actor.role === 'ADMIN', actor.id],
    );
    if (!row) throw new NotFoundError('Inventory item');
    return gasItemFromRow(row);
  }

  async create(actor: Actor, dto: CreateGasItemDto): Promise<GasItem> {
    const brand = await this.brands.resolve(dto.brand);
    const id = await this.db.transaction(async (em) => {
      const item = await em.save(
        em.create(GasItem, {
          sellerId: actor.id,
          brand,
          weightKg: String(dto.weight_kg),
          quantity: dto.quantity,
          reservedQuantity: 0,
          unitPrice: dto.unit_price,
          location: dto.location,
        }),
      );
      await this.stock.opened(actor, item);
      await this.audit.record(actor, { action: 'item.create', objectType: 'item', objectId: item.id, after: auditView(item) });
      return item.id;
    });
    return this.get(actor, id);
  }

  /**
   * Edits an own item. `quantity` sets the units available to order and is
   * recorded as an ADJUSTMENT; with `expectedVersion` (from If-Match) a stale
   * edit is refused instead of silently overwriting a newer one.
   */
  async update(actor: Actor, id: number, dto: UpdateGasItemDto, expectedVersion?: number): Promise<GasItem> {
    const brand = dto.brand === undefined ? undefined : await this.brands.resolve(dto.brand);
    await this.db.transaction(async (em) => {
      const item = await em
        .getRepository(GasItem)
        .createQueryBuilder('g')
        .setLock('pessimistic_write')
        .where('g.id = :id AND g.seller_id = :seller', { id, seller: actor.id })
        .getOne();
      // The owner is part of the lookup: another seller's item is simply not found.
      if (!item) throw new NotFoundError('Inventory item');
      if (expectedVersion !== undefined && item.version !== expectedVersion) throw new PreconditionFailedError();
      const changes: Partial<GasItem> = {};
      if (brand !== undefined) changes.brand = brand;
      if (dto.weight_kg !== undefined) changes.weightKg = String(dto.weight_kg);
      if (dto.quantity !== undefined) changes.quantity = dto.quantity;
      if (dto.unit_price !== undefined) changes.unitPrice = dto.unit_price;
      if (dto.location !== undefined) changes.location = dto.location;
      await em.update(GasItem, { id }, { ...changes, version: () => 'version + 1', lastUpdated: () => 'now()' });
      if (dto.quantity !== undefined) await this.stock.adjusted(actor, id, item.quantity, dto.quantity);
      await this.audit.record(actor, {
        action: 'item.update',
        objectType: 'item',
        objectId: id,
        before: auditView(item),
        after: auditView({ ...item, ...changes }),
      });
    });
    return this.get(actor, id);
  }

  async restock(actor: Actor, id: number, dto: RestockDto): Promise<GasItem> {
    await this.db.transaction(async (em) => {
      const before = await em.findOneBy(GasItem, { id, sellerId: actor.id });
      if (!before || !(await this.stock.restock(actor, id, dto.quantity, dto.note))) throw new NotFoundError('Inventory item');
      await this.audit.record(actor, {
        action: 'item.restock',
        objectType: 'item',
        objectId: id,
        before: { quantity: before.quantity },
        after: { quantity: before.quantity + dto.quantity, note: dto.note ?? null },
      });
    });
    return this.get(actor, id);
  }

  /** Soft delete: past orders keep pointing at the item. Refused while open orders hold its stock. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.db.transaction(async (em) => {
      const deleted = await this.db.query(
        `UPDATE gas_inventory SET deleted_at = now(), version = version + 1
          WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL AND reserved_quantity = 0
          RETURNING id`,
        [id, actor.id],
      );
      if (deleted.length === 1) {
        await this.audit.record(actor, { action: 'item.delete', objectType: 'item', objectId: id });
        return;
      }
      const owned = await em.findOneBy(GasItem, { id, sellerId: actor.id });
      if (!owned) throw new NotFoundError('Inventory item');
      throw new InUseError('Open orders still hold stock of this item; cancel, reject or deliver them first.');
    });
  }

  /** The item's ledger, for its seller and for admins. */
  async movements(actor: Actor, id: number, query: PaginationQueryDto): Promise<Page<StockMovement>> {
    const item = await this.db.getRepository(GasItem).findOne({ where: { id }, withDeleted: true });
    if (!item || (actor.role !== 'ADMIN' && item.sellerId !== actor.id)) throw new NotFoundError('Inventory item');
    return this.stock.movements(actor, id, query);
  }

  /** One page of items, as their responses' JSON. */
  private page(where: SqlWhere, orderBy: string, query: PaginationQueryDto): Promise<JsonPage<GasItemResponseDto>> {
    return selectJsonPage(this.db, GAS_ITEM_LIST, where, orderBy, query);
  }
}
