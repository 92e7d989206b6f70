import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { UserSummaryDto } from '../../users/dto/user-response.dto.js';

export class LoginDto {
  @ApiProperty({ description: 'Username or email.', example: 'jane_buyer' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  username: string;

  @ApiProperty({ example: 'a-long-secret' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'A refresh token from login or a previous refresh.' })
  @IsString()
  @MinLength(1)
  // Ours are 80 characters; a longer one (the original service's JWTs) is an invalid token, 401, not a malformed body.
  @MaxLength(4096)
  refresh: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'Access token (JWT), sent as `Authorization: Bearer <access>`.' })
  access: string;

  @ApiProperty({ description: 'Refresh token; single use, rotated on every refresh.' })
  refresh: string;
}

export class RegisterResponseDto {
  @ApiProperty({ type: UserSummaryDto })
  user: UserSummaryDto;

  @ApiProperty({ example: 'User registered successfully' })
  message: string;
}
