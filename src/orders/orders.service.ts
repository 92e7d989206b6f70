import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../common/auth/actor.js';
import { InvalidTransitionError, NotFoundError, PermissionDeniedError } from '../common/errors.js';
import { multiplyMoney } from '../common/money.js';
import { Page } from '../common/pagination.js';
import { displayNameColumns } from '../users/dto/user-response.dto.js';
import { CreateOrderDto, OrderQueryDto, UpdateOrderDto } from './dto/order.dto.js';
import { Order } from './order.entity.js';
import { ORDER_TRANSITIONS, OrderAction, OrderStatus } from './order-status.js';
import { applyStockEffect, reserveStock } from './order-stock.js';
import { scopeOrdersTo } from './order-visibility.js';

@Injectable()
export class OrdersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reserves the stock and records the order in one transaction; 409 when the stock is short. */
  async place(actor: Actor, dto: CreateOrderDto): Promise<Order> {
    const id = await this.dataSource.transaction(async (em) => {
      const item = await reserveStock(em, dto.gas_inventory, dto.quantity);
      const order = em.create(Order, {
        gasItemId: dto.gas_inventory,
        buyerId: actor.id,
        sellerId: item.sellerId,
        quantity: dto.quantity,
        unitPrice: item.unitPrice,
        totalPrice: multiplyMoney(item.unitPrice, dto.quantity),
        status: 'PENDING' as OrderStatus,
        deliveryAddress: dto.delivery_address,
        contactPhone: dto.contact_phone,
      });
      return (await em.save(order)).id;
    });
    return this.get(actor, id);
  }

  /** Moves an order along the state table, applying its stock effect in the same transaction. */
  async transition(actor: Actor, id: number, action: OrderAction, reason?: string): Promise<Order> {
    const move = ORDER_TRANSITIONS[action];
    if (!move.actors[actor.role]) throw new PermissionDeniedError();
    await this.dataSource.transaction(async (em) => {
      const order = await this.lockVisible(em, actor, id);
      if (!move.from.includes(order.status)) {
        throw new InvalidTransitionError(`Cannot ${action} an order that is ${order.status}.`);
      }
      await applyStockEffect(em, move.stock, order.gasItemId, order.quantity);
      await em.update(Order, { id }, { status: move.to, statusReason: reason ?? null });
    });
    return this.get(actor, id);
  }

  /** The buyer may change where and whom to deliver to while the order is PENDING. */
  async update(actor: Actor, id: number, dto: UpdateOrderDto): Promise<Order> {
    if (actor.role !== 'BUYER') throw new PermissionDeniedError();
    await this.dataSource.transaction(async (em) => {
      const order = await this.lockVisible(em, actor, id);
      if (order.status !== 'PENDING') {
        throw new InvalidTransitionError(`Only a PENDING order can be edited; this one is ${order.status}.`);
      }
      const changes: Partial<Order> = {};
      if (dto.delivery_address !== undefined) changes.deliveryAddress = dto.delivery_address;
      if (dto.contact_phone !== undefined) changes.contactPhone = dto.contact_phone;
      if (Object.keys(changes).length > 0) await em.update(Order, { id }, changes);
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<Order> {
    const order = await scopeOrdersTo(this.base().where('o.id = :id', { id }), actor).getOne();
    if (!order) throw new NotFoundError('Order');
    return order;
  }

  async list(actor: Actor, query: OrderQueryDto): Promise<Page<Order>> {
    const qb = scopeOrdersTo(this.base().where('1 = 1'), actor);
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    const [items, total] = await qb
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }

  /**
   * Locks an order the caller can see, inside the caller's transaction. Other
   * modules (invoices, ratings) use it to act on an order consistently.
   */
  async lockVisible(em: EntityManager, actor: Actor, id: number): Promise<Order> {
    const qb = em.getRepository(Order).createQueryBuilder('o').setLock('pessimistic_write').where('o.id = :id', { id });
    const order = await scopeOrdersTo(qb, actor).getOne();
    if (!order) throw new NotFoundError('Order');
    return order;
  }

  /**
   * Orders with what their response needs, and only that: the item's brand,
   * weight and location and the two parties' names (fewer columns to fetch,
   * parse and hydrate per row). Soft-deleted items still show in past orders.
   */
  private base(): SelectQueryBuilder<Order> {
    return this.dataSource
      .getRepository(Order)
      .createQueryBuilder('o')
      .withDeleted()
      .leftJoin('o.gasItem', 'g')
      .addSelect(['g.id', 'g.brand', 'g.weightKg', 'g.location'])
      .leftJoin('o.buyer', 'b')
      .addSelect(displayNameColumns('b'))
      .leftJoin('o.seller', 's')
      .addSelect(displayNameColumns('s'));
  }
}
