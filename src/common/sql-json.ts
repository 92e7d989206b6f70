/**
 * SQL that writes values the way the response mappers do in TypeScript, for
 * the lists PostgreSQL serialises itself (`selectJsonPage`). Each helper
 * names the TypeScript it mirrors; test/list-json.e2e-spec.ts holds every
 * list's items equal to the same records read one at a time.
 */

/** What `String.prototype.trim` removes: ECMAScript's WhiteSpace and LineTerminator. */
const JS_WHITESPACE =
  "E' \\t\\n\\u000B\\f\\r\\u00A0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF'";

/** `isoTimestamp`: `2026-11-29T06:27:47.123Z`, microseconds cut to milliseconds as a `Date` holds them. */
export const sqlIsoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `formatMoney` of a `numeric(p,2)` column: its text, `2500.00`. */
export const sqlMoney = (column: string) => `${column}::text`;

/** `Number(...)` of a `numeric` column: a JSON number in its shortest form (`13`, `12.5`). */
export const sqlNumber = (column: string) => `${column}::float8`;

/** `displayName`: first and last name, trimmed, or else the username. */
export const sqlDisplayName = (user: string) =>
  `coalesce(nullif(btrim(${user}.first_name || ' ' || ${user}.last_name, ${JS_WHITESPACE}), ''), ${user}.username)`;
