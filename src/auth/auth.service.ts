import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor.js';
import { NotAuthenticatedError } from '../common/errors.js';
import { RegisterDto } from '../users/dto/create-user.dto.js';
import { toUserSummary } from '../users/dto/user-response.dto.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { UsersService } from '../users/users.service.js';
import { LoginDto, RegisterResponseDto, TokenPairDto } from './dto/auth.dto.js';
import { TokenService } from './token.service.js';

const BAD_CREDENTIALS = 'No active account found with the given credentials.';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async register(actor: Actor | undefined, dto: RegisterDto): Promise<RegisterResponseDto> {
    const user = await this.users.register(actor, dto);
    return { user: toUserSummary(user), message: 'User registered successfully' };
  }

  /** The same answer, after the same bcrypt work, whether the user is unknown or the password wrong. */
  async login(dto: LoginDto): Promise<TokenPairDto> {
    const user = await this.users.findForLogin(dto.username);
    const valid = await this.hasher.verify(dto.password, user?.passwordHash);
    if (!user || !valid || !user.isActive) throw new NotAuthenticatedError(BAD_CREDENTIALS);
    return this.tokens.issue(user);
  }

  async refresh(presented: string): Promise<TokenPairDto> {
    const { userId, familyId } = await this.tokens.spend(presented);
    const user = await this.users.findActiveById(userId);
    if (!user) throw new NotAuthenticatedError(BAD_CREDENTIALS);
    return this.tokens.rotate(user, familyId);
  }

  logout(actor: Actor, presented: string): Promise<void> {
    return this.tokens.revoke(actor.id, presented);
  }
}
