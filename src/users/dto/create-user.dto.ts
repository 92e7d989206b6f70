import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { OptionalNotNull } from '../../common/validation.js';
import { ROLES, type Role } from '../role.js';

/** A password equal to the username or the email (whatever the case) is the first one an attacker tries. */
function NotTheUsernameOrEmail(): PropertyDecorator {
  return ValidateBy({
    name: 'notTheUsernameOrEmail',
    validator: {
      validate: (value: unknown, args) => {
        const { username, email } = args?.object as { username?: unknown; email?: unknown };
        const same = (other: unknown) => typeof other === 'string' && typeof value === 'string' && other.toLowerCase() === value.toLowerCase();
        return !same(username) && !same(email);
      },
      defaultMessage: () => 'password must not be the username or the email',
    },
  });
}

export class RegisterDto {
  @ApiProperty({ example: 'jane_buyer', maxLength: 150, description: 'Letters, digits and @ . + - _' })
  @IsString()
  @MinLength(1)
  @MaxLength(150)
  @Matches(/^[\w.@+-]+$/, { message: 'username may contain only letters, digits and @ . + - _' })
  username: string;

  @ApiProperty({ example: 'jane@example.com', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @ApiProperty({ example: 'a-long-secret', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  // Django's own rules, as the original service had them: not blank, not only digits.
  @Matches(/\S/, { message: 'password must not be blank' })
  @Matches(/\D/, { message: 'password must not be entirely numeric' })
  @NotTheUsernameOrEmail()
  password: string;

  @ApiProperty({ enum: ROLES, description: 'ADMIN only when the caller is an authenticated admin.' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ maxLength: 150 })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  first_name?: string;

  @ApiPropertyOptional({ maxLength: 150 })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  last_name?: string;

  @ApiPropertyOptional({ example: '+254700000000', maxLength: 32 })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(/^([+\d][\d\s()-]*)?$/, { message: 'phone_number must be a phone number' })
  phone_number?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ description: 'false deactivates the account: its tokens stop working at once.' })
  @OptionalNotNull()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ enum: ROLES })
  @OptionalNotNull()
  @IsIn(ROLES)
  role?: Role;
}
