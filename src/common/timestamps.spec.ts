import fc from 'fast-check';
import { isoTimestamp } from './timestamps.js';

describe('isoTimestamp', () => {
  const agreesWithToISOString = (min: number, max: number) =>
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        const date = new Date(ms);
        expect(isoTimestamp(date)).toBe(date.toISOString());
      }),
      { numRuns: 2000 },
    );

  it('prints what toISOString prints, for any date in years 1000-9999', () => {
    agreesWithToISOString(Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999));
  });

  it('prints what toISOString prints, for any date a Date can hold', () => {
    // -8.64e15 .. 8.64e15 ms: years -271821 to 275760.
    agreesWithToISOString(-8.64e15, 8.64e15);
  });

  it.each([
    ['2026-11-29T12:38:45.123Z'],
    ['2026-01-02T03:04:05.006Z'],
    ['2026-12-31T23:59:59.999Z'],
    ['1000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z'],
    ['0999-12-31T23:59:59.999Z'],
    ['+010000-01-01T00:00:00.000Z'],
    ['-000001-01-01T00:00:00.000Z'],
  ])('prints %s back as it was read', (text) => {
    expect(isoTimestamp(new Date(text))).toBe(text);
  });

  it('rejects an invalid date as toISOString does', () => {
    expect(() => isoTimestamp(new Date(NaN))).toThrow(RangeError);
  });
});
