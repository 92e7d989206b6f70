import type { QueryConfig } from 'pg';

/** More distinct statements than this and the rest are sent unnamed. */
export const MAX_PREPARED_STATEMENTS = 1000;

/**
 * Named ("prepared") statements for the `pg` driver. Sent unnamed, PostgreSQL
 * parses and plans every statement on every execution; named, each pooled
 * connection parses a statement once, and plans it once too where a generic
 * plan costs no more than one made for the values (PostgreSQL checks that
 * over the first executions). On the busy reads that halved PostgreSQL's CPU
 * per request (docs/performance.md).
 *
 * Off on the embedded PostgreSQL: PGlite serves every client from one
 * session, where two pools' names would collide.
 *
 * A name stands for one SQL text for the life of the process (the driver
 * refuses one name for two texts). The texts are the app's own, built from
 * fixed fragments with every value a parameter, so there are few of them;
 * past `MAX_PREPARED_STATEMENTS` the rest go unnamed rather than grow the
 * server's memory per connection.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  constructor(readonly enabled: boolean) {}

  /** The driver's query for `sql`: named when enabled and room is left. */
  query(sql: string, values: unknown[]): QueryConfig {
    const name = this.enabled ? this.nameOf(sql) : undefined;
    return name === undefined ? { text: sql, values } : { name, text: sql, values };
  }

  private nameOf(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_PREPARED_STATEMENTS) {
      name = `gas_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}
