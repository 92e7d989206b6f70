import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptzSlowly = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

const ZERO = 48;
const MS_PLACES = [100, 10, 1];
const digit = (text: string, at: number) => text.charCodeAt(at) - ZERO;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);
const isDigit = (text: string, at: number) => {
  const c = text.charCodeAt(at);
  return c >= ZERO && c <= ZERO + 9;
};

/**
 * A `timestamptz` as PostgreSQL writes it with `DateStyle` ISO
 * (`2026-11-29 06:27:47.123456+00`, `...+05:45`, `...-00:19:32`), read with
 * character arithmetic instead of pg-types' regular expressions: every order
 * in a list carries two of them, and their regex matches were a sixth of the
 * memory an order-list request allocated. Anything else (years before 1000
 * or after 9999, BC, infinity) goes to pg-types' own parser. Microseconds are
 * cut to milliseconds, as a `Date` holds them.
 */
export function parseTimestamptz(text: string): Date {
  const length = text.length;
  const dashes = text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45; // -
  const colons = text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58; // :
  if (length < 22 || !dashes || !colons || text.charCodeAt(10) !== 32 || !isDigit(text, 0) || digit(text, 0) === 0) {
    return parseTimestamptzSlowly(text);
  }
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46 /* . */) {
    const first = ++at;
    for (; at < length && isDigit(text, at); at++) {
      if (at - first < 3) ms += digit(text, at) * MS_PLACES[at - first];
    }
  }
  const sign = text.charCodeAt(at);
  if ((sign !== 43 /* + */ && sign !== 45) /* - */ || at + 3 > length) return parseTimestamptzSlowly(text);
  let offsetSeconds = twoDigits(text, at + 1) * 3600;
  let end = at + 3;
  if (text.charCodeAt(end) === 58 /* : */) {
    offsetSeconds += twoDigits(text, end + 1) * 60;
    end += 3;
    if (text.charCodeAt(end) === 58) {
      offsetSeconds += twoDigits(text, end + 1);
      end += 3;
    }
  }
  if (end !== length) return parseTimestamptzSlowly(text);
  const utc = Date.UTC(
    digit(text, 0) * 1000 + digit(text, 1) * 100 + twoDigits(text, 2),
    twoDigits(text, 5) - 1,
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
    ms,
  );
  return new Date(utc - (sign === 45 ? -1 : 1) * offsetSeconds * 1000);
}

/**
 * The pool's type parsers (the `pg` driver's `types` option): pg-types' own,
 * but `timestamptz` read by `parseTimestamptz`. Per pool, so nothing global
 * changes for other users of `pg` in the process.
 */
export const POOL_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
