import type { ArgumentMetadata } from '@nestjs/common';
import { AuditQueryDto } from '../../audit/dto/audit.dto.js';
import { GasItemQueryDto } from '../../inventory/dto/gas-item-query.dto.js';
import { ValidationError } from '../errors.js';
import { AppValidationPipe } from './validation.pipe.js';

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('AppValidationPipe on query strings', () => {
  it('gives every request of the same valid query its own DTO, converted and with its class', async () => {
    const pipe = new AppValidationPipe();
    const first = (await pipe.transform({ weight: '13kg', page: '2', page_size: '20', brand: ' jibu ' }, query(GasItemQueryDto))) as GasItemQueryDto;
    expect(first).toBeInstanceOf(GasItemQueryDto);
    expect({ ...first, offset: first.offset }).toEqual({ weight: 13, page: 2, page_size: 20, brand: 'jibu', offset: 20 });
    Object.assign(first, { brand: 'CHANGED', page: 9 });
    const second = (await pipe.transform({ weight: '13kg', page: '2', page_size: '20', brand: ' jibu ' }, query(GasItemQueryDto))) as GasItemQueryDto;
    expect(second).not.toBe(first);
    expect({ ...second, offset: second.offset }).toEqual({ weight: 13, page: 2, page_size: 20, brand: 'jibu', offset: 20 });
  });

  it('refuses an invalid query every time it comes', async () => {
    const pipe = new AppValidationPipe();
    for (let n = 0; n < 2; n++) {
      await expect(pipe.transform({ page: '0', weight: 'heavy' }, query(GasItemQueryDto))).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('shares no object between requests when a field is one (dates)', async () => {
    const pipe = new AppValidationPipe();
    const first = (await pipe.transform({ since: '2026-01-01T00:00:00Z' }, query(AuditQueryDto))) as AuditQueryDto;
    first.since!.setUTCFullYear(1999);
    const second = (await pipe.transform({ since: '2026-01-01T00:00:00Z' }, query(AuditQueryDto))) as AuditQueryDto;
    expect(second.since!.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
