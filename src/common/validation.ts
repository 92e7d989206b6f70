import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { formatCents, toCents } from './money.js';

/**
 * A money amount as a number or numeric string with at most two decimals,
 * normalised to the wire form `"2500.00"`. `min` is in cents.
 */
export function IsMoney(options: { minCents?: bigint } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const min = options.minCents ?? 0n;
  const validator = ValidateBy(
    {
      name: 'isMoney',
      validator: {
        validate: (value: unknown) => {
          const cents = toCents(value);
          return cents !== undefined && cents >= min;
        },
        defaultMessage: (args) =>
          `${args?.property ?? "value"} must be an amount of at least ${formatCents(min)} with at most two decimal places`,
      },
    },
    validationOptions,
  );
  const normalise = Transform(({ value }) => {
    const cents = toCents(value);
    return cents === undefined ? value : formatCents(cents);
  });
  return (target: object, key: string | symbol) => {
    validator(target, key);
    normalise(target, key);
  };
}

/** Trims surrounding white space from strings; leaves other types for the validators to reject. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Optional, but not nullable: the field may be left out, while an explicit
 * `null` is validated (and refused) like any other wrong value. For PATCH
 * bodies, where `null` would otherwise slip past validation into a NOT NULL
 * column.
 */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/**
 * A finite number written with at most `places` decimals. class-validator's own
 * `maxDecimalPlaces` crashes on numbers that print in exponent form (5e-323).
 */
export function IsDecimal(places: number, validationOptions?: ValidationOptions): PropertyDecorator {
  const pattern = new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`);
  return ValidateBy(
    {
      name: 'isDecimal',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && pattern.test(String(value)),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a number with at most ${places} decimal place(s)`,
      },
    },
    validationOptions,
  );
}
