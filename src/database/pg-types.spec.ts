import fc from 'fast-check';
import pg from 'pg';
import { parseTimestamptz, POOL_TYPES } from './pg-types.js';

const pgTypesParser = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as PostgreSQL writes it (DateStyle ISO) in a zone `offsetSeconds` east of UTC. */
function asPostgresWrites(epochMs: number, micros: number, offsetSeconds: number): string {
  const local = new Date(epochMs + offsetSeconds * 1000);
  const fraction = (local.getUTCMilliseconds() * 1000 + micros).toString().padStart(6, '0').replace(/0+$/, '');
  const magnitude = Math.abs(offsetSeconds);
  const [h, m, s] = [Math.floor(magnitude / 3600), Math.floor((magnitude % 3600) / 60), magnitude % 60];
  const offset = `${offsetSeconds < 0 ? '-' : '+'}${pad(h)}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`;
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction ? `.${fraction}` : ''}${offset}`
  );
}

describe('parseTimestamptz', () => {
  it.each([
    ['2026-11-29 06:27:47.123456+00', '2026-11-29T06:27:47.123Z'],
    ['2026-11-29 06:27:47+00', '2026-11-29T06:27:47.000Z'],
    ['2026-11-29 06:27:47.5+03', '2026-11-29T03:27:47.500Z'],
    ['2026-01-01 00:10:00.999999+05:45', '2025-12-31T18:25:00.999Z'],
    ['2026-11-29 20:00:00.01-03:30', '2026-11-29T23:30:00.010Z'],
    ['1850-01-01 00:00:00+00:19:32', '1849-12-31T23:40:28.000Z'],
    ['2024-02-29 23:59:59.999-00:00:01', '2024-03-01T00:00:00.999Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseTimestamptz(text).toISOString()).toBe(iso);
  });

  it('reads any instant in any offset PostgreSQL can write as that instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 2), max: Date.UTC(9999, 11, 30) }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: -15 * 3600 - 59 * 60, max: 15 * 3600 + 59 * 60 }),
        (epochMs, micros, offsetSeconds) => {
          const text = asPostgresWrites(epochMs, micros, offsetSeconds);
          expect(parseTimestamptz(text).getTime()).toBe(epochMs);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("leaves what it does not read itself to pg-types' parser", () => {
    for (const text of ['infinity', '-infinity', '0099-03-01 10:00:00+00', '2000-01-01 00:00:00+00 BC', '12026-01-01 00:00:00+00', '2026-11-29T06:27:47Z']) {
      expect(String(parseTimestamptz(text))).toBe(String(pgTypesParser(text)));
    }
  });
});

describe('POOL_TYPES', () => {
  it('reads timestamptz text with parseTimestamptz and everything else as pg-types does', () => {
    expect(POOL_TYPES.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(POOL_TYPES.getTypeParser(1184)).toBe(parseTimestamptz);
    for (const oid of [20, 23, 1082, 1114, 1700, 3802]) expect(POOL_TYPES.getTypeParser(oid, 'text')).toBe(pg.types.getTypeParser(oid, 'text'));
    expect(POOL_TYPES.getTypeParser(1184, 'binary')).toBe(pg.types.getTypeParser(1184, 'binary'));
  });
});
