import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/auth/actor.js';
import {
  InsufficientStockError,
  InvalidTransitionError,
  LimitExceededError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
} from '../common/errors.js';
import { SqlWhere } from '../common/sql.js';
import { selectJsonPage, type JsonPage } from '../common/pagination.js';
import { currentContext } from '../common/request-context.js';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { StockService } from '../inventory/stock.service.js';
import type { OrderResponseDto } from './dto/order-response.dto.js';
import { CreateOrderDto, OrderQueryDto, UpdateOrderDto } from './dto/order.dto.js';
import { Order } from './order.entity.js';
import { ORDER_TRANSITIONS, type OrderAction, type OrderStatus, type StockEffect } from './order-status.js';
import { scopeOrdersTo, scopeOrdersWhere } from './order-visibility.js';
import {
  ORDER_FROM,
  ORDER_LIST,
  ORDER_SELECT,
  orderFromRow,
  PLACE_ORDER,
  placeOrderValues,
  type OrderRow,
  type PlaceOrderResult,
} from './order.rows.js';

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly stock: StockService,
    private readonly audit: AuditService,
    @Inject(appConfig.KEY) private readonly config: AppSettings,
  ) {}

  /**
   * Reserves the stock and records the order, its ledger row and its audit row
   * in one statement (`PLACE_ORDER`): all of it or, when refused, nothing.
   */
  async place(actor: Actor, dto: CreateOrderDto): Promise<Order> {
    if (actor.role !== 'BUYER') throw new PermissionDeniedError();
    const limits = this.config.orders;
    if (dto.quantity > limits.maxQuantity) {
      throw new LimitExceededError(`At most ${limits.maxQuantity} units per order.`);
    }
    const values = placeOrderValues(actor.id, dto, limits.maxOpenPerBuyer, currentContext()?.requestId ?? null);
    const [result] = await this.db.query<PlaceOrderResult>(PLACE_ORDER, values);
    switch (result.outcome) {
      case 'placed':
        return orderFromRow(result);
      case 'short':
        throw new InsufficientStockError(result.available);
      case 'not_found':
        throw new NotFoundError('Inventory item');
      case 'limit':
        throw new LimitExceededError(`At most ${limits.maxOpenPerBuyer} open orders at a time; wait for some to be delivered or cancel them.`);
      case 'inactive':
        // Deactivated since this request was let in.
        throw new NotAuthenticatedError();
    }
  }

  /** Moves an order along the state table, applying its stock effect in the same transaction. */
  async transition(actor: Actor, id: number, action: OrderAction, reason?: string): Promise<Order> {
    const move = ORDER_TRANSITIONS[action];
    if (!move.actors[actor.role]) throw new PermissionDeniedError();
    await this.db.transaction(async (em) => {
      const order = await this.lockVisible(em, actor, id);
      if (!move.from.includes(order.status)) {
        throw new InvalidTransitionError(`Cannot ${action} an order that is ${order.status}.`);
      }
      if (move.stock === 'release' && order.status !== 'PENDING' && (await this.hasReceivedMoney(em, order.id))) {
        // Its stock would go back on sale while the invoice stays paid, and nothing here refunds.
        throw new InvalidTransitionError('Payments were received for this order; it can no longer be cancelled.');
      }
      await this.apply(actor, order, move.to, move.stock, reason ?? null, `order.${action}`);
    });
    return this.get(actor, id);
  }

  /** Whether the order's invoice is paid, or a payment of it completed (the order is locked; its invoice is read after it). */
  private async hasReceivedMoney(em: EntityManager, orderId: number): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM invoices i
        WHERE i.order_id = $1 AND (i.is_paid OR EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.status = 'COMPLETED'))`,
      [orderId],
    );
    return rows.length > 0;
  }

  /**
   * Cancels PENDING orders older than ORDER_PENDING_TTL, releasing their stock.
   * `SKIP LOCKED` lets several instances run this at once: each order is
   * expired by exactly one of them, and an order someone is approving right
   * now is left alone. Returns how many were expired.
   */
  async expireStale(batchSize = 100): Promise<number> {
    return this.db.transaction(async (em) => {
      const due: Order[] = await em
        .getRepository(Order)
        .createQueryBuilder('o')
        .where('o.status = :status', { status: 'PENDING' })
        .andWhere(`o.created_at < now() - make_interval(secs => :ttl)`, { ttl: this.config.orders.pendingTtlSeconds })
        .orderBy('o.id')
        .limit(batchSize)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const order of due) await this.apply(null, order, 'CANCELLED', 'release', 'expired', 'order.expire');
      return due.length;
    });
  }

  /** The buyer may change where and whom to deliver to while the order is PENDING. */
  async update(actor: Actor, id: number, dto: UpdateOrderDto): Promise<Order> {
    if (actor.role !== 'BUYER') throw new PermissionDeniedError();
    await this.db.transaction(async (em) => {
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
    const where = scopeOrdersWhere(new SqlWhere().and('o.id = ?', id), actor);
    const [row] = await this.db.query<OrderRow>(`SELECT ${ORDER_SELECT} ${ORDER_FROM} ${where}`, where.params);
    if (!row) throw new NotFoundError('Order');
    return orderFromRow(row);
  }

  /** The orders the caller can see, newest first, as their responses' JSON. */
  async list(actor: Actor, query: OrderQueryDto): Promise<JsonPage<OrderResponseDto>> {
    const where = scopeOrdersWhere(new SqlWhere(), actor);
    if (query.status) where.and('o.status = ?', query.status);
    return selectJsonPage(this.db, ORDER_LIST, where, 'o.created_at DESC, o.id DESC', query);
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

  /** Applies a status change to a locked order: its stock effect, the new status, the audit row. */
  private async apply(
    actor: Actor | null,
    order: Order,
    to: OrderStatus,
    stock: StockEffect,
    reason: string | null,
    action: string,
  ): Promise<void> {
    if (stock === 'release') await this.stock.release(actor, order, reason ?? undefined);
    if (stock === 'consume') await this.stock.consume(actor, order);
    await this.db.manager.update(Order, { id: order.id }, { status: to, statusReason: reason });
    await this.audit.record(actor, {
      action,
      objectType: 'order',
      objectId: order.id,
      before: { status: order.status },
      after: { status: to, ...(reason ? { reason } : {}) },
    });
  }
}
