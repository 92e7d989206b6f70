/** Escapes `%`, `_` and `\` so user text is matched literally inside a LIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Runs an INSERT/UPDATE/DELETE ... RETURNING and gives back its rows. TypeORM's
 * PostgreSQL driver answers UPDATE and DELETE with `[rows, rowCount]` but
 * INSERT and SELECT with `rows`; callers should not have to care.
 */
export async function returning<T>(runner: Queryable, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await runner.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
