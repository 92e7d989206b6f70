import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/auth/actor.js';
import { AlreadyExistsError, InvalidTransitionError, NotFoundError, PermissionDeniedError } from '../common/errors.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { OrdersService } from '../orders/orders.service.js';
import { scopeOrdersTo } from '../orders/order-visibility.js';
import type { OrderStatus } from '../orders/order-status.js';
import { Invoice } from './invoice.entity.js';
import { newInvoiceNumber } from './invoice-number.js';

/** An invoice bills an order that went ahead: approved, or already delivered. */
const BILLABLE: readonly OrderStatus[] = ['APPROVED', 'DELIVERED'];

export interface InvoiceListQuery extends PaginationQueryDto {
  pendingOnly?: boolean;
}

@Injectable()
export class InvoicesService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly orders: OrdersService,
    private readonly audit: AuditService,
  ) {}

  /** The seller of the order's item bills it, once. */
  async create(actor: Actor, orderId: number): Promise<Invoice> {
    if (actor.role !== 'SELLER') throw new PermissionDeniedError();
    const id = await this.db.transaction(async (em) => {
      // Locking the order serialises two invoices racing for it; the UNIQUE constraint backs this up.
      const order = await this.orders.lockVisible(em, actor, orderId);
      if (!BILLABLE.includes(order.status)) {
        throw new InvalidTransitionError(`Only an APPROVED or DELIVERED order can be invoiced; this one is ${order.status}.`);
      }
      if (await em.existsBy(Invoice, { orderId })) throw new AlreadyExistsError('This order already has an invoice.');
      for (let attempt = 0; attempt < 5; attempt++) {
        const [row] = await this.db.query<{ id: number }>(
          `INSERT INTO invoices (order_id, invoice_number, amount) VALUES ($1, $2, $3)
           ON CONFLICT (invoice_number) DO NOTHING RETURNING id`,
          [orderId, newInvoiceNumber(), order.totalPrice],
        );
        if (row) {
          await this.audit.record(actor, { action: 'invoice.create', objectType: 'invoice', objectId: row.id, after: { order: orderId, amount: order.totalPrice } });
          return row.id;
        }
      }
      throw new Error('Could not allocate a unique invoice number');
    });
    return this.get(actor, id);
  }

  async approve(actor: Actor, id: number): Promise<Invoice> {
    if (actor.role !== 'ADMIN') throw new PermissionDeniedError();
    await this.db.transaction(async (em) => {
      const { order, invoice } = await this.lockWithOrder(em, actor, id);
      if (invoice.adminApproval) throw new InvalidTransitionError('This invoice is already approved.');
      if (!BILLABLE.includes(order.status)) {
        throw new InvalidTransitionError(`The order is ${order.status}; only invoices of APPROVED or DELIVERED orders can be approved.`);
      }
      await em.update(Invoice, { id }, { adminApproval: true, adminApprovalDate: () => 'now()' });
      await this.audit.record(actor, { action: 'invoice.approve', objectType: 'invoice', objectId: id, before: { admin_approval: false }, after: { admin_approval: true } });
    });
    return this.get(actor, id);
  }

  /** Marks an invoice paid inside the caller's transaction (payments call this when they settle it). */
  async markPaid(actor: Actor, id: number): Promise<void> {
    const result = await this.db.manager.update(Invoice, { id, isPaid: false }, { isPaid: true, paymentDate: () => 'now()' });
    if (result.affected) {
      await this.audit.record(actor, { action: 'invoice.paid', objectType: 'invoice', objectId: id, before: { is_paid: false }, after: { is_paid: true } });
    }
  }

  /**
   * Locks an invoice that can still be paid, inside the caller's transaction:
   * its order is locked first (the order that every path locks before its
   * invoice) and must still be APPROVED or DELIVERED, not called off since.
   */
  async lockPayable(em: EntityManager, actor: Actor, id: number): Promise<Invoice> {
    const { order, invoice } = await this.lockWithOrder(em, actor, id);
    if (!BILLABLE.includes(order.status)) {
      throw new InvalidTransitionError(`The order is ${order.status}; its invoice can no longer be paid.`);
    }
    if (invoice.isPaid) throw new InvalidTransitionError('This invoice is already paid.');
    return invoice;
  }

  /** Locks an invoice the caller can see and its order: the order first, as every path does, so no two can deadlock. */
  private async lockWithOrder(em: EntityManager, actor: Actor, id: number) {
    const { orderId } = await this.get(actor, id, em);
    const order = await this.orders.lockVisible(em, actor, orderId);
    return { order, invoice: await this.lockVisible(em, actor, id) };
  }

  /** Locks an invoice the caller can see, inside the caller's transaction. */
  async lockVisible(em: EntityManager, actor: Actor, id: number): Promise<Invoice> {
    const qb = em
      .getRepository(Invoice)
      .createQueryBuilder('i')
      .innerJoin('i.order', 'o')
      .setLock('pessimistic_write', undefined, ['i'])
      .where('i.id = :id', { id });
    const invoice = await scopeOrdersTo(qb, actor).getOne();
    if (!invoice) throw new NotFoundError('Invoice');
    return invoice;
  }

  async get(actor: Actor, id: number, em?: EntityManager): Promise<Invoice> {
    const invoice = await scopeOrdersTo(this.base(em).where('i.id = :id', { id }), actor).getOne();
    if (!invoice) throw new NotFoundError('Invoice');
    return invoice;
  }

  async list(actor: Actor, query: InvoiceListQuery): Promise<Page<Invoice>> {
    const qb = scopeOrdersTo(this.base().where('1 = 1'), actor);
    if (query.pendingOnly) qb.andWhere('i.admin_approval = false');
    const [items, total] = await qb
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }

  /** Invoices joined with everything their response shows; `o` is the order alias the visibility rule uses. */
  base(em: EntityManager = this.db.manager): SelectQueryBuilder<Invoice> {
    return em
      .getRepository(Invoice)
      .createQueryBuilder('i')
      .withDeleted()
      .innerJoinAndSelect('i.order', 'o')
      .innerJoinAndSelect('o.gasItem', 'g')
      .innerJoinAndSelect('o.buyer', 'b')
      .innerJoinAndSelect('o.seller', 's');
  }
}
