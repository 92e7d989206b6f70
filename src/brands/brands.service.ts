import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor.js';
import { AlreadyExistsError, ValidationError } from '../common/errors.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { Brand } from './brand.entity.js';
import { CreateBrandDto } from './dto/brand.dto.js';

@Injectable()
export class BrandsService {
  constructor(private readonly db: TransactionalConnection) {}

  private get brands() {
    return this.db.getRepository(Brand);
  }

  async list(_actor: Actor, query: PaginationQueryDto): Promise<Page<Brand>> {
    const [items, total] = await this.brands.findAndCount({ order: { code: 'ASC' }, skip: query.offset, take: query.page_size });
    return new Page(items, total, query.page, query.page_size);
  }

  async create(_actor: Actor, dto: CreateBrandDto): Promise<Brand> {
    const result = await this.brands
      .createQueryBuilder()
      .insert()
      .values({ code: dto.code, name: dto.name })
      .orIgnore()
      .returning(['code'])
      .execute();
    if (result.raw.length === 0) throw new AlreadyExistsError(`Brand ${dto.code} already exists.`);
    return this.brands.findOneByOrFail({ code: dto.code });
  }

  /** The catalogue code for a brand given in any case; a 400 on `brand` when unknown. */
  async resolve(brand: string): Promise<string> {
    const code = brand.trim().toUpperCase();
    if (!(await this.brands.existsBy({ code }))) {
      throw ValidationError.field('brand', `Unknown brand "${brand}". See GET /api/v1/brands/ for the catalogue.`);
    }
    return code;
  }
}
