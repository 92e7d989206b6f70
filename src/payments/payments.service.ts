import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/auth/actor.js';
import { InvalidTransitionError, NotFoundError, PermissionDeniedError, ValidationError } from '../common/errors.js';
import { compareMoney, subtractMoney } from '../common/money.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { InvoicesService } from '../invoices/invoices.service.js';
import { scopeOrdersTo } from '../orders/order-visibility.js';
import { CreatePaymentDto, MarkAsPaidDto, UpdatePaymentDto } from './dto/payment.dto.js';
import { Payment } from './payment.entity.js';
import { canMovePayment } from './payment-status.js';

export const ADMIN_PAYMENT_METHOD = 'Admin Approved';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly invoices: InvoicesService,
    private readonly audit: AuditService,
  ) {}

  /** The buyer (or an admin) reports a payment; it stays PENDING until an admin settles it. */
  async create(actor: Actor, dto: CreatePaymentDto): Promise<Payment> {
    if (actor.role !== 'BUYER' && actor.role !== 'ADMIN') throw new PermissionDeniedError();
    const id = await this.db.transaction(async (em) => {
      const invoice = await this.invoices.lockPayable(em, actor, dto.invoice);
      const outstanding = await this.outstanding(invoice);
      if (compareMoney(dto.amount, outstanding) > 0) {
        throw ValidationError.field('amount', `The amount exceeds what is outstanding on the invoice (${outstanding}).`);
      }
      const payment = em.create(Payment, {
        invoiceId: invoice.id,
        amount: dto.amount,
        status: 'PENDING',
        paymentMethod: dto.payment_method,
        transactionId: dto.transaction_id ?? null,
      });
      const saved = await em.save(payment);
      await this.audit.record(actor, {
        action: 'payment.create',
        objectType: 'payment',
        objectId: saved.id,
        after: { invoice: invoice.id, amount: dto.amount, status: 'PENDING', payment_method: dto.payment_method },
      });
      return saved.id;
    });
    return this.get(actor, id);
  }

  /** An admin settles a payment; once COMPLETED payments cover the invoice, it is paid. */
  async update(actor: Actor, id: number, dto: UpdatePaymentDto): Promise<Payment> {
    if (actor.role !== 'ADMIN') throw new PermissionDeniedError();
    await this.db.transaction(async (em) => {
      const current = await this.get(actor, id, em);
      const completing = dto.status === 'COMPLETED' && current.status !== 'COMPLETED';
      // Settling a payment needs an invoice that can still be paid; marking one FAILED does not.
      const invoice = completing
        ? await this.invoices.lockPayable(em, actor, current.invoiceId)
        : await this.invoices.lockVisible(em, actor, current.invoiceId);
      const payment = await em.findOneOrFail(Payment, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (dto.status && !canMovePayment(payment.status, dto.status)) {
        throw new InvalidTransitionError(`A ${payment.status} payment cannot become ${dto.status}.`);
      }
      if (completing) {
        // Payments are reported while the invoice is open; those completed since may have covered part of this one.
        const outstanding = await this.outstanding(invoice);
        if (compareMoney(payment.amount, outstanding) > 0) {
          throw new InvalidTransitionError(`The payment exceeds what is outstanding on the invoice (${outstanding}); mark it FAILED instead.`);
        }
      }
      const changes: Partial<Payment> = {};
      if (dto.status) changes.status = dto.status;
      if (dto.transaction_id !== undefined) changes.transactionId = dto.transaction_id;
      if (Object.keys(changes).length > 0) {
        await em.update(Payment, { id }, changes);
        await this.audit.record(actor, {
          action: 'payment.update',
          objectType: 'payment',
          objectId: id,
          before: { status: payment.status, transaction_id: payment.transactionId },
          after: { status: changes.status ?? payment.status, transaction_id: changes.transactionId ?? payment.transactionId },
        });
      }
      if (dto.status === 'COMPLETED' && compareMoney(await this.outstanding(invoice), '0.00') <= 0) {
        await this.invoices.markPaid(actor, invoice.id);
      }
    });
    return this.get(actor, id);
  }

  /** `POST /invoices/{id}/mark-as-paid/`: records a COMPLETED payment of what is outstanding. */
  async markInvoicePaid(actor: Actor, invoiceId: number, dto: MarkAsPaidDto): Promise<Invoice> {
    if (actor.role !== 'ADMIN') throw new PermissionDeniedError();
    await this.db.transaction(async (em) => {
      const invoice = await this.invoices.lockPayable(em, actor, invoiceId);
      if (!invoice.adminApproval) throw new InvalidTransitionError('The invoice must be approved before it is marked paid.');
      const outstanding = await this.outstanding(invoice);
      if (compareMoney(outstanding, '0.00') > 0) {
        const recorded = await em.save(
          em.create(Payment, {
            invoiceId,
            amount: outstanding,
            status: 'COMPLETED',
            paymentMethod: dto.payment_method ?? ADMIN_PAYMENT_METHOD,
            transactionId: dto.transaction_id ?? null,
          }),
        );
        await this.audit.record(actor, {
          action: 'payment.create',
          objectType: 'payment',
          objectId: recorded.id,
          after: { invoice: invoiceId, amount: outstanding, status: 'COMPLETED', payment_method: recorded.paymentMethod },
        });
      }
      await this.invoices.markPaid(actor, invoiceId);
    });
    return this.invoices.get(actor, invoiceId);
  }

  async get(actor: Actor, id: number, em?: EntityManager): Promise<Payment> {
    const payment = await scopeOrdersTo(this.base(em).where('p.id = :id', { id }), actor).getOne();
    if (!payment) throw new NotFoundError('Payment');
    return payment;
  }

  async list(actor: Actor, query: PaginationQueryDto): Promise<Page<Payment>> {
    const [items, total] = await scopeOrdersTo(this.base().where('1 = 1'), actor)
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }

  /** The invoice amount less its COMPLETED payments. */
  private async outstanding(invoice: Invoice): Promise<string> {
    const [{ paid }] = await this.db.query<{ paid: string }>(
      `SELECT COALESCE(SUM(amount), 0)::numeric(14,2)::text AS paid FROM payments WHERE invoice_id = $1 AND status = 'COMPLETED'`,
      [invoice.id],
    );
    return subtractMoney(invoice.amount, paid);
  }

  private base(em: EntityManager = this.db.manager): SelectQueryBuilder<Payment> {
    return em
      .getRepository(Payment)
      .createQueryBuilder('p')
      .withDeleted()
      .innerJoinAndSelect('p.invoice', 'i')
      .innerJoinAndSelect('i.order', 'o')
      .innerJoinAndSelect('o.gasItem', 'g')
      .innerJoinAndSelect('o.buyer', 'b')
      .innerJoinAndSelect('o.seller', 's');
  }
}
