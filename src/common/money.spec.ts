import fc from 'fast-check';
import { compareMoney, formatCents, formatMoney, subtractMoney, sumMoney, toCents } from './money.js';

describe('money', () => {
  it.each([
    [2500, 250000n],
    ['2500', 250000n],
    ['2500.5', 250050n],
    [2500.5, 250050n],
    ['0.01', 1n],
    [12.1, 1210n],
    [' 7.00 ', 700n],
  ])('reads %p as %p cents', (input, cents) => {
    expect(toCents(input)).toBe(cents);
  });

  it.each([[-1], ['-1'], ['1.001'], [0.1 + 0.2], ['abc'], [''], [null], [undefined], [{}], [[]], [NaN], [Infinity], [1e21], ['99999999999.00'], [true]])(
    'rejects %p',
    (input) => {
      expect(toCents(input)).toBeUndefined();
    },
  );

  it('formats with exactly two decimals', () => {
    expect(formatCents(250000n)).toBe('2500.00');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(-150n)).toBe('-1.50');
    expect(formatMoney('2500')).toBe('2500.00');
    expect(formatMoney('-3.5')).toBe('-3.50');
  });

  it('adds, subtracts and compares exactly', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(subtractMoney('7500.00', '2500.01')).toBe('4999.99');
    expect(compareMoney('10.00', '9.99')).toBe(1);
    expect(compareMoney('10', '10.00')).toBe(0);
    expect(compareMoney('0.01', '0.10')).toBe(-1);
  });

  it('gives any amount the database or a client writes the same wire form, whatever path it takes', () => {
    const slowly = (value: string) => formatCents(BigInt(value.startsWith('-') ? -1 : 1) * toCentsLoose(value.replace(/^-/, '')));
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 2 }), fc.boolean(), (cents, decimals, zeros) => {
        const abs = cents < 0n ? -cents : cents;
        const whole = `${zeros ? '00' : ''}${abs / 100n}`;
        const fraction = (abs % 100n).toString().padStart(2, '0').slice(0, decimals);
        const text = `${cents < 0n ? '-' : ''}${whole}${decimals ? `.${fraction}` : ''}`;
        expect(formatMoney(text)).toBe(slowly(text));
      }),
      { numRuns: 2000 },
    );
    expect(formatMoney('2500.00')).toBe('2500.00');
    expect(formatMoney('0.00')).toBe('0.00');
    expect(formatMoney('-0.00')).toBe('0.00');
    expect(formatMoney('007.50')).toBe('7.50');
  });
});

/** Cents of an unsigned decimal with up to two decimals, by string arithmetic alone. */
function toCentsLoose(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}
