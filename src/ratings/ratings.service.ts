import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/auth/actor.js';
import { AlreadyExistsError, InvalidTransitionError, NotFoundError, PermissionDeniedError } from '../common/errors.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { OrdersService } from '../orders/orders.service.js';
import { scopeOrdersTo } from '../orders/order-visibility.js';
import { CreateRatingDto } from './dto/rating.dto.js';
import { Rating } from './rating.entity.js';

@Injectable()
export class RatingsService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly orders: OrdersService,
    private readonly audit: AuditService,
  ) {}

  /** The buyer rates their own delivered order, once. */
  async create(actor: Actor, dto: CreateRatingDto): Promise<Rating> {
    if (actor.role !== 'BUYER') throw new PermissionDeniedError();
    const id = await this.db.transaction(async (em) => {
      const order = await this.orders.lockVisible(em, actor, dto.order);
      if (order.status !== 'DELIVERED') {
        throw new InvalidTransitionError(`Only a DELIVERED order can be rated; this one is ${order.status}.`);
      }
      if (await em.existsBy(Rating, { orderId: order.id })) throw new AlreadyExistsError('This order is already rated.');
      const rating = em.create(Rating, { orderId: order.id, rating: dto.rating, comment: dto.comment ?? '' });
      const saved = await em.save(rating);
      await this.audit.record(actor, { action: 'rating.create', objectType: 'rating', objectId: saved.id, after: { order: order.id, rating: dto.rating } });
      return saved.id;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<Rating> {
    const rating = await scopeOrdersTo(this.base().where('r.id = :id', { id }), actor).getOne();
    if (!rating) throw new NotFoundError('Rating');
    return rating;
  }

  async list(actor: Actor, query: PaginationQueryDto): Promise<Page<Rating>> {
    const [items, total] = await scopeOrdersTo(this.base().where('1 = 1'), actor)
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return new Page(items, total, query.page, query.page_size);
  }

  private base(): SelectQueryBuilder<Rating> {
    return this.db
      .getRepository(Rating)
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.order', 'o')
      .innerJoinAndSelect('o.buyer', 'b')
      .innerJoinAndSelect('o.seller', 's');
  }
}
