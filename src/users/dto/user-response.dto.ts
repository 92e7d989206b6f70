import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../role.js';
import { User } from '../user.entity.js';

export class UserSummaryDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty({ nullable: true, type: String, description: 'null when the caller may not see contact details' }) email: string | null;
  @ApiProperty() first_name: string;
  @ApiProperty() last_name: string;
}

export class ProfileResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String, description: 'Shown to the user, admins, and sellers the user ordered from; else null' })
  phone_number: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Shown to the user, admins, and sellers the user ordered from; else null' })
  address: string | null;
  @ApiProperty() is_active: boolean;
}

export function toUserSummary(user: User): UserSummaryDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
  };
}

/** With `contacts` false, email, phone number and address are withheld (null). */
export function toProfileResponse(user: User, contacts = true): ProfileResponseDto {
  return {
    id: user.id,
    user: { ...toUserSummary(user), email: contacts ? user.email : null },
    role: user.role,
    phone_number: contacts ? user.phoneNumber : null,
    address: contacts ? user.address : null,
    is_active: user.isActive,
  };
}

/** "First Last", or the username when no name was given. */
export function displayName(user: Pick<User, 'firstName' | 'lastName' | 'username'>): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.username;
}
