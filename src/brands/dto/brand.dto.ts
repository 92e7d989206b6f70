import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Brand } from '../brand.entity.js';

export class CreateBrandDto {
  @ApiProperty({ example: 'PROGAS', description: 'Stored upper-case; letters, digits, - and _' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  @Matches(/^[A-Z0-9_-]+$/, { message: 'code may contain only letters, digits, - and _' })
  code: string;

  @ApiProperty({ example: 'ProGas' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class BrandResponseDto {
  @ApiProperty({ example: 'JIBU' }) code: string;
  @ApiProperty({ example: 'Jibu' }) name: string;
}

export const toBrandResponse = (brand: Brand): BrandResponseDto => ({ code: brand.code, name: brand.name });
