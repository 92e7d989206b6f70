import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor.js';
import { AlreadyExistsError, InvalidTransitionError, NotFoundError, PermissionDeniedError } from '../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { Page, PaginationQueryDto } from '../common/pagination.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { RegisterDto, UpdateUserDto } from './dto/create-user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { User } from './user.entity.js';
import { ActorCache } from './actor-cache.js';
import { ACTOR_BY_ID } from './user.sql.js';

export interface AdminSpec {
  username: string;
  email: string;
  password?: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly actors: ActorCache,
  ) {}

  private get users() {
    return this.db.getRepository(User);
  }

  /** Self-registration as BUYER or SELLER; ADMIN only when an admin is the caller. */
  async register(actor: Actor | undefined, dto: RegisterDto): Promise<User> {
    if (dto.role === 'ADMIN' && actor?.role !== 'ADMIN') {
      throw new PermissionDeniedError('Only an administrator may create administrator accounts.');
    }
    await this.assertFree(dto.username, dto.email);
    const user = this.users.create({
      username: dto.username,
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      role: dto.role,
      firstName: dto.first_name ?? '',
      lastName: dto.last_name ?? '',
      phoneNumber: dto.phone_number ?? '',
      address: dto.address ?? '',
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      // Two registrations racing for one name: the unique index decides.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new AlreadyExistsError('A user with that username or email already exists.');
      }
      throw error;
    }
  }

  /** Creates an admin, or promotes the existing user with that username (`npm run create-admin`). */
  async createOrPromoteAdmin(spec: AdminSpec): Promise<{ user: User; created: boolean; wasAdmin: boolean }> {
    const existing = await this.users
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username: spec.username })
      .getOne();
    if (existing) {
      const before = { role: existing.role, is_active: existing.isActive };
      const wasAdmin = existing.role === 'ADMIN' && existing.isActive;
      existing.role = 'ADMIN';
      existing.isActive = true;
      if (spec.password) existing.passwordHash = await this.hasher.hash(spec.password);
      const user = await this.db.transaction(async () => {
        const saved = await this.users.save(existing);
        await this.audit.record(null, { action: 'user.promote', objectType: 'user', objectId: saved.id, before, after: { role: 'ADMIN', is_active: true } });
        return saved;
      });
      this.actors.forget(user.id);
      return { user, created: false, wasAdmin };
    }
    if (!spec.password) throw new Error('A password is needed to create a new admin (--password or ADMIN_PASSWORD).');
    await this.assertFree(spec.username, spec.email);
    const user = await this.users.save(
      this.users.create({
        username: spec.username,
        email: spec.email,
        passwordHash: await this.hasher.hash(spec.password),
        role: 'ADMIN',
      }),
    );
    return { user, created: true, wasAdmin: false };
  }

  /** The user a login names by username or email, with the password hash. */
  async findForLogin(login: string): Promise<User | null> {
    const matches = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:login) OR lower(u.email) = lower(:login)', { login })
      .getMany();
    // A username that happens to equal someone else's email wins over the email.
    const lower = login.toLowerCase();
    return matches.find((u) => u.username.toLowerCase() === lower) ?? matches[0] ?? null;
  }

  /**
   * Who an access token's user is now: every authenticated request asks, so
   * it reads three columns with plain SQL rather than hydrating a whole user,
   * and on a PostgreSQL server remembers them until PostgreSQL announces a
   * change (ActorCache; docs/performance.md). Undefined once the user is
   * deactivated.
   */
  findActor(id: number): Promise<Actor | undefined> {
    return this.actors.find(id, async (userId) => (await this.db.query<Actor>(ACTOR_BY_ID, [userId]))[0]);
  }

  findActiveById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id, isActive: true });
  }

  async me(actor: Actor): Promise<User> {
    const user = await this.findActiveById(actor.id);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /**
   * A user's profile as the caller may see it: everything for the user
   * themself and admins, and for a seller the buyer ordered from (to
   * deliver); name only for a buyer looking at a seller they ordered from.
   * Anyone else gets a 404.
   */
  async getVisible(actor: Actor, id: number): Promise<{ user: User; contacts: boolean }> {
    const [row] = await this.db.query<{ contacts: boolean; name_only: boolean }>(
      `SELECT u.id,
              ($2 = 'ADMIN' OR u.id = $3
                OR ($2 = 'SELLER' AND EXISTS (SELECT 1 FROM orders o WHERE o.seller_id = $3 AND o.buyer_id = u.id))) AS contacts,
              ($2 = 'BUYER' AND EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = $3 AND o.seller_id = u.id)) AS name_only
         FROM users u WHERE u.id = $1`,
      [id, actor.role, actor.id],
    );
    if (!row || (!row.contacts && !row.name_only)) throw new NotFoundError('Profile');
    return { user: await this.users.findOneByOrFail({ id }), contacts: row.contacts };
  }

  /** An admin activates, deactivates or changes the role of a user. */
  async updateByAdmin(actor: Actor, id: number, dto: UpdateUserDto): Promise<User> {
    if (actor.role !== 'ADMIN') throw new PermissionDeniedError();
    const updated = await this.db.transaction(async (em) => {
      // FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of other transactions' inserts (an order
      // placed with this seller's stock, an audit row by this user) take a key-share lock on the row and
      // must not wait for this one, which waits for their items when a deactivation takes them off the
      // marketplace (migration MarketplaceActiveSellers): that was a deadlock.
      const user = await em.getRepository(User).findOne({ where: { id }, lock: { mode: 'for_no_key_update' } });
      if (!user) throw new NotFoundError('Profile');
      if (id === actor.id && (dto.is_active === false || (dto.role !== undefined && dto.role !== 'ADMIN'))) {
        throw new InvalidTransitionError('Admins cannot deactivate or demote themselves; ask another admin.');
      }
      const before = { is_active: user.isActive, role: user.role };
      if (dto.is_active !== undefined) user.isActive = dto.is_active;
      if (dto.role !== undefined) user.role = dto.role;
      const saved = await em.save(user);
      if (dto.is_active === false) {
        // Access tokens fail from the commit on (their user is read again: forgotten below and by every instance's cache); refresh tokens die too.
        await this.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      }
      await this.audit.record(actor, {
        action: 'user.update',
        objectType: 'user',
        objectId: id,
        before,
        after: { is_active: saved.isActive, role: saved.role },
      });
      return saved;
    });
    // Committed: this instance's next request reads the user again (the others when PostgreSQL announces it).
    this.actors.forget(id);
    return updated;
  }

  async list(_actor: Actor, query: PaginationQueryDto): Promise<Page<User>> {
    const [items, total] = await this.users.findAndCount({
      order: { id: 'ASC' },
      skip: query.offset,
      take: query.page_size,
    });
    return new Page(items, total, query.page, query.page_size);
  }

  /**
   * Neither the username nor the email may name an existing user either way:
   * login takes either, so a username equal to someone's email (usernames may
   * hold `@`) would take that user's email login over.
   */
  private async assertFree(username: string, email: string): Promise<void> {
    const clash = await this.users
      .createQueryBuilder('u')
      .where('lower(u.username) IN (lower(:username), lower(:email)) OR lower(u.email) IN (lower(:username), lower(:email))', { username, email })
      .getOne();
    if (clash) throw new AlreadyExistsError('A user with that username or email already exists.');
  }
}
