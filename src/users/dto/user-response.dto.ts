import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../role.js';
import { User } from '../user.entity.js';

export class UserSummaryDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() email: string;
  @ApiProperty() first_name: string;
  @ApiProperty() last_name: string;
}

export class ProfileResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() phone_number: string;
  @ApiProperty() address: string;
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

export function toProfileResponse(user: User): ProfileResponseDto {
  return {
    id: user.id,
    user: toUserSummary(user),
    role: user.role,
    phone_number: user.phoneNumber,
    address: user.address,
  };
}

/** "First Last", or the username when no name was given. */
export function displayName(user: Pick<User, 'firstName' | 'lastName' | 'username'>): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.username;
}

/** The columns `displayName` reads, for a query that joins a user only to show the name. */
export function displayNameColumns(alias: string): string[] {
  return [`${alias}.id`, `${alias}.username`, `${alias}.firstName`, `${alias}.lastName`];
}
