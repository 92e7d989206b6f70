/**
 * A WHERE clause assembled from optional filters, numbering its parameters
 * `$1, $2, ...` in the order they are added. For the hot read paths that
 * skip TypeORM's query builder (docs/performance.md).
 *
 *   const where = new SqlWhere().and('g.quantity > 0');
 *   if (brand) where.and('g.brand_code = ?', brand);
 *   runner.query(`SELECT ... FROM gas_inventory g ${where}`, where.params);
 */
export class SqlWhere {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a condition; each `?` in it takes the next of `values`. */
  and(condition: string, ...values: unknown[]): this {
    let next = 0;
    this.clauses.push(
      condition.replace(/\?/g, () => {
        this.params.push(values[next++]);
        return `$${this.params.length}`;
      }),
    );
    return this;
  }

  toString(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.map((c) => `(${c})`).join(' AND ')}`;
  }
}
