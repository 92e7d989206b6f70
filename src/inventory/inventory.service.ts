import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { BrandsService } from '../brands/brands.service.js';
import type { Actor } from '../common/auth/actor.js';
import { InUseError, NotFoundError } from '../common/errors.js';
import { Page, PaginationQueryDto, parseOrdering } from '../common/pagination.js';
import { likeContains, returning } from '../common/sql.js';
import { displayNameColumns } from '../users/dto/user-response.dto.js';
import { GasItemQueryDto, GAS_ORDERING } from './dto/gas-item-query.dto.js';
import { CreateGasItemDto, UpdateGasItemDto } from './dto/gas-item.dto.js';
import { GasItem } from './gas-item.entity.js';

@Injectable()
export class InventoryService {
  constructor(
    @InjectRepository(GasItem) private readonly items: Repository<GasItem>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly brands: BrandsService,
  ) {}

  /** The marketplace: every seller's items that still have units to order. */
  async browse(_actor: Actor, query: GasItemQueryDto): Promise<Page<GasItem>> {
    const qb = this.withSeller().where('g.quantity > 0');
    if (query.brand) qb.andWhere('g.brand_code = :brand', { brand: query.brand.toUpperCase() });
    if (query.weight !== undefined) qb.andWhere('g.weight_kg = :weight', { weight: query.weight });
    if (query.location) qb.andWhere('g.location ILIKE :location', { location: likeContains(query.location) });
    if (query.min_price) qb.andWhere('g.unit_price >= :minPrice', { minPrice: query.min_price });
    if (query.max_price) qb.andWhere('g.unit_price <= :maxPrice', { maxPrice: query.max_price });
    if (query.seller) qb.andWhere('g.seller_id = :seller', { seller: query.seller });
    if (query.search) {
      qb.andWhere('(g.brand_code ILIKE :search OR g.location ILIKE :search)', { search: likeContains(query.search) });
    }
    const ordering = parseOrdering(query.ordering, GAS_ORDERING, '-date_added');
    qb.orderBy(ordering.column, ordering.direction).addOrderBy('g.id', ordering.direction);
    return this.page(qb, query);
  }

  /** A seller's own items, including those at zero. */
  async mine(actor: Actor, query: PaginationQueryDto): Promise<Page<GasItem>> {
    const qb = this.withSeller()
      .where('g.seller_id = :seller', { seller: actor.id })
      .orderBy('g.date_added', 'DESC')
      .addOrderBy('g.id', 'DESC');
    return this.page(qb, query);
  }

  async get(_actor: Actor, id: number): Promise<GasItem> {
    const item = await this.withSeller().where('g.id = :id', { id }).getOne();
    if (!item) throw new NotFoundError('Inventory item');
    return item;
  }

  async create(actor: Actor, dto: CreateGasItemDto): Promise<GasItem> {
    const brand = await this.brands.resolve(dto.brand);
    const saved = await this.items.save(
      this.items.create({
        sellerId: actor.id,
        brand,
        weightKg: String(dto.weight_kg),
        quantity: dto.quantity,
        reservedQuantity: 0,
        unitPrice: dto.unit_price,
        location: dto.location,
      }),
    );
    return this.get(actor, saved.id);
  }

  async update(actor: Actor, id: number, dto: UpdateGasItemDto): Promise<GasItem> {
    const changes: Partial<GasItem> = {};
    if (dto.brand !== undefined) changes.brand = await this.brands.resolve(dto.brand);
    if (dto.weight_kg !== undefined) changes.weightKg = String(dto.weight_kg);
    if (dto.quantity !== undefined) changes.quantity = dto.quantity;
    if (dto.unit_price !== undefined) changes.unitPrice = dto.unit_price;
    if (dto.location !== undefined) changes.location = dto.location;
    // The owner is part of the WHERE clause: another seller's item is simply not found.
    const result = await this.items
      .createQueryBuilder()
      .update()
      .set({ ...changes, lastUpdated: () => 'now()' })
      .where('id = :id AND seller_id = :seller AND deleted_at IS NULL', { id, seller: actor.id })
      .execute();
    if (!result.affected) throw new NotFoundError('Inventory item');
    return this.get(actor, id);
  }

  /** Soft delete: past orders keep pointing at the item. Refused while open orders hold its stock. */
  async remove(actor: Actor, id: number): Promise<void> {
    const deleted = await returning(
      this.dataSource,
      `UPDATE gas_inventory SET deleted_at = now()
        WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL AND reserved_quantity = 0
        RETURNING id`,
      [id, actor.id],
    );
    if (deleted.length === 1) return;
    const owned = await this.items.findOneBy({ id, sellerId: actor.id });
    if (!owned) throw new NotFoundError('Inventory item');
    throw new InUseError('Open orders still hold stock of this item; cancel, reject or deliver them first.');
  }

  /** Items with their seller's name, the only part of the seller a response shows. */
  private withSeller(): SelectQueryBuilder<GasItem> {
    return this.items.createQueryBuilder('g').leftJoin('g.seller', 's').addSelect(displayNameColumns('s'));
  }

  private async page(qb: SelectQueryBuilder<GasItem>, query: PaginationQueryDto): Promise<Page<GasItem>> {
    const [items, total] = await qb.offset(query.offset).limit(query.page_size).getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }
}
