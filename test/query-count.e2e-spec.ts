import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger, QueryRunner } from 'typeorm';
import { createAdmin, createUser, stockInvariantViolations, type TestUser, unique } from './support/factories.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Every list endpoint runs a constant number of SQL statements whatever the
 * page size: no query per row (N+1). The statements are counted on the app's
 * own DataSource by wrapping its logger's `logQuery`, which TypeORM calls
 * for every statement a query runner sends (transactions included).
 */

/** Enough rows that pages of 1, 50 and 200 really differ in size. */
const ROWS = 210;
const PAGE_SIZES = [1, 50, 200];

describe('SQL statements per list request', () => {
  let t: TestApp;
  let buyer: TestUser;
  let seller: TestUser;
  let admin: TestUser;
  const statements: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const logger: Logger = t.db.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query: string, parameters?: unknown[], runner?: QueryRunner) => {
      statements.push(query);
      return logQuery(query, parameters, runner);
    };

    [buyer, seller, admin] = await Promise.all([createUser(t, 'BUYER'), createUser(t, 'SELLER'), createAdmin(t)]);
    await seed(t, buyer, seller);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Bulk rows, consistent with the stock rules, so the other suites' invariant checks still hold. */
  async function seed(app: TestApp, b: TestUser, s: TestUser): Promise<void> {
    const q = (sql: string, params: unknown[] = []) => app.db.query(sql, params);
    // Users for the admin's profile list.
    const prefix = unique('qc');
    await q(
      `INSERT INTO users (username, email, password_hash, role)
       SELECT $1 || '_' || i, $1 || '_' || i || '@example.com', 'not-a-hash', 'BUYER' FROM generate_series(1, $2::int) i`,
      [prefix, ROWS],
    );
    // The seller's items, 100 units each.
    await q(
      `INSERT INTO gas_inventory (seller_id, brand_code, weight_kg, quantity, unit_price, location)
       SELECT $1, (ARRAY['JIBU', 'MERU', 'TOTAL', 'OTHER'])[1 + i % 4], 13, 100, 2500, 'Query Count Street ' || i
         FROM generate_series(1, $2::int) i`,
      [s.id, ROWS],
    );
    // For each item: one PENDING order (holding a unit) and one DELIVERED order with an invoice, a payment and a rating.
    await q(
      `INSERT INTO orders (gas_inventory_id, buyer_id, seller_id, quantity, unit_price, total_price, status, delivery_address, contact_phone)
       SELECT g.id, $1, $2, 1, g.unit_price, g.unit_price, st.status, 'Moi Avenue 1', '+254700000001'
         FROM gas_inventory g CROSS JOIN (VALUES ('PENDING'), ('DELIVERED')) st(status)
        WHERE g.seller_id = $2`,
      [b.id, s.id],
    );
    await q(
      `UPDATE gas_inventory g SET quantity = quantity - 1, reserved_quantity = reserved_quantity + 1
        WHERE g.seller_id = $1`,
      [s.id],
    );
    // Their ledger rows, so the stock verification after the suite finds every figure explained.
    await q(
      `INSERT INTO stock_movements (gas_inventory_id, quantity_change, reserved_change, reason, actor_id)
       SELECT g.id, 100, 0, 'INITIAL', $1 FROM gas_inventory g WHERE g.seller_id = $1`,
      [s.id],
    );
    await q(
      `INSERT INTO stock_movements (gas_inventory_id, quantity_change, reserved_change, reason, order_id, actor_id)
       SELECT o.gas_inventory_id, -1, 1, 'RESERVE', o.id, o.buyer_id FROM orders o WHERE o.seller_id = $1 AND o.status = 'PENDING'`,
      [s.id],
    );
    await q(
      `INSERT INTO invoices (order_id, invoice_number, amount)
       SELECT o.id, 'INV-' || upper(lpad(to_hex(o.id), 8, '0')), o.total_price
         FROM orders o WHERE o.seller_id = $1 AND o.status = 'DELIVERED'`,
      [s.id],
    );
    await q(
      `INSERT INTO payments (invoice_id, amount, status, payment_method)
       SELECT i.id, i.amount, 'PENDING', 'M-Pesa' FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.seller_id = $1`,
      [s.id],
    );
    await q(
      `INSERT INTO ratings (order_id, rating, comment)
       SELECT o.id, 5, 'Fine.' FROM orders o WHERE o.seller_id = $1 AND o.status = 'DELIVERED'`,
      [s.id],
    );
  }

  async function statementsFor(user: TestUser, path: string, pageSize: number): Promise<{ count: number; items: number }> {
    const separator = path.includes('?') ? '&' : '?';
    statements.length = 0;
    const res = await t.http.get(`${path}${separator}page_size=${pageSize}`).set(user.auth);
    const count = statements.length;
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    return { count, items: res.body.length };
  }

  const endpoints: [string, () => TestUser, string][] = [
    ['gas (marketplace)', () => buyer, '/api/v1/gas/'],
    ['gas with filters', () => buyer, '/api/v1/gas/?brand=jibu&weight=13kg&location=count%20street'],
    ['seller/inventory', () => seller, '/api/v1/seller/inventory/'],
    ['orders (buyer)', () => buyer, '/api/v1/orders/'],
    ['orders (seller)', () => seller, '/api/v1/orders/'],
    ['orders (admin)', () => admin, '/api/v1/orders/'],
    ['orders/my_orders', () => buyer, '/api/v1/orders/my_orders/'],
    ['seller/orders', () => seller, '/api/v1/seller/orders/'],
    ['seller/orders?status=PENDING', () => seller, '/api/v1/seller/orders/?status=PENDING'],
    ['admin/orders/pending', () => admin, '/api/v1/admin/orders/pending/'],
    ['invoices (buyer)', () => buyer, '/api/v1/invoices/'],
    ['invoices (seller)', () => seller, '/api/v1/invoices/'],
    ['invoices (admin)', () => admin, '/api/v1/invoices/'],
    ['admin/invoices/pending', () => admin, '/api/v1/admin/invoices/pending/'],
    ['payments (buyer)', () => buyer, '/api/v1/payments/'],
    ['payments (admin)', () => admin, '/api/v1/payments/'],
    ['ratings (buyer)', () => buyer, '/api/v1/ratings/'],
    ['ratings (seller)', () => seller, '/api/v1/ratings/'],
    ['profiles (admin)', () => admin, '/api/v1/profiles/'],
    ['brands', () => buyer, '/api/v1/brands/'],
  ];

  it.each(endpoints)('%s: the same number of statements for page_size 1, 50 and 200', async (_name, who, path) => {
    const runs = [];
    for (const size of PAGE_SIZES) runs.push(await statementsFor(who(), path, size));
    const counts = runs.map((r) => r.count);
    if (process.env.QC_DEBUG) process.stderr.write(`QC ${_name}: ${JSON.stringify(runs)}\n`);
    // Never more statements for a bigger page (TypeORM even skips the count when a page is not full).
    expect(counts.map((c) => c <= counts[0])).toEqual(counts.map(() => true));
    // A handful of statements, not one per row.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[0]).toBeLessThanOrEqual(5);
    if (!path.startsWith('/api/v1/brands')) {
      // The pages really grew, so a per-row query would have shown.
      expect(runs.map((r) => r.items)).toEqual([1, 50, expect.any(Number)]);
      expect(runs[2].items).toBeGreaterThan(50);
    }
  });

  it('left the stock rules intact', async () => {
    expect(await stockInvariantViolations(t)).toEqual([]);
  });
});
