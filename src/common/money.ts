/**
 * Money is handled as integer cents in a bigint, never as a float: the
 * database holds `numeric(12,2)`, the wire carries two-decimal strings.
 */
const MONEY = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** Largest amount a `numeric(12,2)` column holds. */
export const MAX_MONEY_CENTS = 9_999_999_999_99n;

export function isMoney(value: unknown): boolean {
  return toCents(value) !== undefined;
}

/** Accepts `2500`, `2500.5`, `"2500.50"`; undefined for anything else or negatives. */
export function toCents(value: unknown): bigint | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    // A JSON number such as 12.1 is the shortest decimal that round-trips;
    // its text is what the client meant, so parse the text, not the float.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = MONEY.exec(text);
  if (!match) return undefined;
  const cents = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return cents <= MAX_MONEY_CENTS ? cents : undefined;
}

export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Exact cents of any decimal the database or this module wrote (signed, unbounded). */
function exactCents(value: string | number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(value).trim());
  if (!match) throw new Error(`Not a money value: ${value}`);
  const cents = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

/** Already the wire form: what a `numeric(12,2)` column gives for an amount of zero or more. */
const WIRE_MONEY = /^(?:0|[1-9]\d*)\.\d\d$/;

/** Normalises a database `numeric` or a validated input to the wire form `"2500.00"`. */
export function formatMoney(value: string | number): string {
  // Every amount in a list passes here; most are in the wire form already.
  if (typeof value === 'string' && WIRE_MONEY.test(value)) return value;
  return formatCents(exactCents(value));
}

export function sumMoney(values: string[]): string {
  return formatCents(values.reduce((total, value) => total + exactCents(value), 0n));
}

export function compareMoney(a: string, b: string): number {
  const diff = exactCents(a) - exactCents(b);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

export function subtractMoney(a: string, b: string): string {
  return formatCents(exactCents(a) - exactCents(b));
}
