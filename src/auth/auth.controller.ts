import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor.js';
import { Authenticated, CurrentUser, Public } from '../common/auth/decorators.js';
import { ErrorResponseDto } from '../common/dto/error-response.dto.js';
import { ApiValidationErrors } from '../common/http/api-errors.js';
import { AuthThrottle } from '../common/throttling/auth-throttle.decorator.js';
import { RegisterDto } from '../users/dto/create-user.dto.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RefreshDto, RegisterResponseDto, TokenPairDto } from './dto/auth.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('auth')
@ApiValidationErrors()
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @Idempotent()
  @ApiOperation({ summary: 'Register a buyer or seller (an admin may also register admins)' })
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiConflictResponse({ description: 'Username or email taken (already_exists).', type: ErrorResponseDto })
  @AuthThrottle()
  register(@CurrentUser() actor: Actor | undefined, @Body() dto: RegisterDto): Promise<RegisterResponseDto> {
    return this.auth.register(actor, dto);
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with username or email; also served at /api/token/' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Wrong credentials.', type: ErrorResponseDto })
  @AuthThrottle()
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Public()
  @Post('token/refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one stops working)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Invalid, expired or already used refresh token.', type: ErrorResponseDto })
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refresh);
  }

  @Authenticated()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a refresh token (ends that login); 204 also for a token that is not the caller’s, which it leaves alone' })
  @ApiNoContentResponse()
  logout(@CurrentUser() actor: Actor, @Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(actor, dto.refresh);
  }
}
