import bcrypt from 'bcrypt';
import pg from 'pg';
import { queryOnce } from './database.js';

export const BENCH_PASSWORD = 'bench-password-1';

export const SIZES = { sellers: 200, buyers: 2000, items: 10_000, orders: 50_000, itemsPerSeller: 50 } as const;

/** The buyer with exactly 200 orders (scenario 2) and the seller with exactly 2,000 (scenario 3). */
export const HEAVY_BUYER_ORDERS = 200;
export const HEAVY_SELLER_ORDERS = 2000;
/** Scenario 4: one item per seller with ample stock; scenario 5: ten items with little. */
export const AMPLE_STOCK = 1_000_000;
export const SCARCE_ITEMS = 10;
export const SCARCE_STOCK = 25;
/**
 * The app cancels PENDING orders older than ORDER_PENDING_TTL (the bench
 * starts it with this one); the data set's PENDING orders are all younger, as
 * on a live server where that job runs. Older ones would have the job cancel
 * thousands of orders in the middle of a scenario, a write load the reference
 * server does not carry (docs/performance.md, thirteenth pass).
 */
export const PENDING_TTL_HOURS = 48;
const PENDING_MAX_AGE_HOURS = 24;

export interface BenchUser {
  id: number;
  username: string;
  role: 'BUYER' | 'SELLER' | 'ADMIN';
}

export interface Dataset {
  admin: BenchUser;
  heavyBuyer: BenchUser;
  heavySeller: BenchUser;
  /** Buyers that place orders in scenarios 4 and 5 (not the heavy buyer, so reads stay as loaded). */
  placingBuyers: BenchUser[];
  ampleItemIds: number[];
  scarceItemIds: number[];
  counts: Record<string, number>;
  /** Per status, for the report. */
  ordersByStatus: Record<string, number>;
  seconds: number;
  hashSeconds: number;
}

const FIRST_NAMES = ['Amina', 'Juma', 'Wanjiku', 'Otieno', 'Achieng', 'Kamau', 'Njeri', 'Mwangi', 'Fatuma', 'Kiptoo', 'Chebet', 'Omondi', 'Wairimu', 'Mutua', 'Akinyi', 'Baraka'];
const LAST_NAMES = ['Mwangi', 'Odhiambo', 'Kariuki', 'Wekesa', 'Mohamed', 'Kiprono', 'Njoroge', 'Atieno', 'Mutiso', 'Chege', 'Ouma', 'Kimani'];
/** 10 of 24 are in Nairobi, so `location=nairobi` matches about 40 % of the stock. */
const LOCATIONS = [
  'Westlands, Nairobi', 'Kilimani, Nairobi', 'Karen, Nairobi', 'Embakasi, Nairobi', 'Kasarani, Nairobi',
  'Langata, Nairobi', 'Parklands, Nairobi', 'South B, Nairobi', 'Industrial Area, Nairobi', 'CBD, Nairobi',
  'Nyali, Mombasa', 'Likoni, Mombasa', 'Bamburi, Mombasa', 'Milimani, Kisumu', 'Kondele, Kisumu', 'Nakuru Town',
  'Eldoret', 'Thika', 'Machakos', 'Nyeri', 'Meru Town', 'Kitale', 'Naivasha', 'Malindi',
];
/** Weighted by repetition: JIBU 30 %, MERU 20 %, TOTAL 35 %, OTHER 15 %. */
const BRANDS = ['JIBU', 'JIBU', 'JIBU', 'JIBU', 'JIBU', 'JIBU', 'MERU', 'MERU', 'MERU', 'MERU', 'TOTAL', 'TOTAL', 'TOTAL', 'TOTAL', 'TOTAL', 'TOTAL', 'TOTAL', 'OTHER', 'OTHER', 'OTHER'];
/** Weighted by repetition: 13 kg 35 %, 6 kg 30 %, 50 kg 10 %, 3 kg 10 %, 12.5 kg 10 %, 22.5 kg 5 %. */
const WEIGHTS = [13, 13, 13, 13, 13, 13, 13, 6, 6, 6, 6, 6, 6, 50, 50, 3, 3, 12.5, 12.5, 22.5];
/** Cumulative shares of the order statuses: 10 % PENDING, 10 % APPROVED, 8 % REJECTED, 64 % DELIVERED, 8 % CANCELLED. */
const STATUS_CASE = `CASE WHEN r < 0.10 THEN 'PENDING' WHEN r < 0.20 THEN 'APPROVED' WHEN r < 0.28 THEN 'REJECTED'
                          WHEN r < 0.92 THEN 'DELIVERED' ELSE 'CANCELLED' END`;

const sqlArray = (values: (string | number)[]) =>
  `ARRAY[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)).join(', ')}]`;

/**
 * Loads the whole data set with set-based SQL (generate_series, INSERT ...
 * SELECT), consistent with the service's rules: every item's
 * reserved_quantity is the sum of its PENDING and APPROVED orders; PENDING
 * orders are younger than the expiry job's limit; invoices
 * only for APPROVED or DELIVERED orders; ratings only for DELIVERED ones;
 * payments complete exactly the paid invoices. One bcrypt hash, made once at
 * `bcryptCost`, is shared by every user. The random numbers are seeded, so
 * every run loads the same data.
 */
export async function loadDataset(url: string, bcryptCost: number): Promise<Dataset> {
  const started = Date.now();
  const hash = await bcrypt.hash(BENCH_PASSWORD, bcryptCost);
  const hashSeconds = (Date.now() - started) / 1000;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query('SELECT setseed(0.20250505)');
    await db.query(
      `INSERT INTO users (username, email, password_hash, role, first_name, last_name)
       VALUES ('bench_admin', 'bench_admin@bench.example', $1, 'ADMIN', 'Bench', 'Admin')`,
      [hash],
    );
    await db.query(
      `INSERT INTO users (username, email, password_hash, role, first_name, last_name, phone_number, address, created_at, updated_at)
       SELECT format('%s_%s', kind, lpad(i::text, 4, '0')), format('%s_%s@bench.example', kind, lpad(i::text, 4, '0')), $1, role,
              (${sqlArray(FIRST_NAMES)})[1 + (i * 7) % ${FIRST_NAMES.length}],
              (${sqlArray(LAST_NAMES)})[1 + (i * 5) % ${LAST_NAMES.length}],
              format('+2547%s', lpad((i * 7919 % 100000000)::text, 8, '0')),
              format('Plot %s, %s', i, (${sqlArray(LOCATIONS)})[1 + i % ${LOCATIONS.length}]),
              now() - interval '400 days', now() - interval '400 days'
         FROM (SELECT 'seller' AS kind, 'SELLER' AS role, i FROM generate_series(1, ${SIZES.sellers}) i
               UNION ALL
               SELECT 'buyer', 'BUYER', i FROM generate_series(1, ${SIZES.buyers}) i) u
        ORDER BY role DESC, i`,
      [hash],
    );
    // Numbered views of the users, so the rest joins on position, not on id values.
    await db.query(`CREATE TEMP TABLE b_sellers AS SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM users WHERE role = 'SELLER'`);
    await db.query(`CREATE TEMP TABLE b_buyers AS SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM users WHERE role = 'BUYER'`);

    // 50 items per seller; the 49th of each has ample stock (scenario 4), the 50th of the first ten is scarce (scenario 5).
    // Generated orders only use the first 45 of each seller's items, so those two kinds start without reservations.
    await db.query(
      `INSERT INTO gas_inventory (seller_id, brand_code, weight_kg, quantity, reserved_quantity, unit_price, location, date_added, last_updated)
       SELECT s.id, brand, weight,
              CASE WHEN slot = 49 THEN ${AMPLE_STOCK}
                   WHEN slot = 50 AND s.n <= ${SCARCE_ITEMS} THEN ${SCARCE_STOCK}
                   WHEN random() < 0.05 THEN 0
                   ELSE 1 + floor(random() * 300)::int END,
              0,
              round((weight * (180 + random() * 60))::numeric, 0),
              location, added, added
         FROM (SELECT i, 1 + (i - 1) / ${SIZES.itemsPerSeller} AS seller_n, 1 + (i - 1) % ${SIZES.itemsPerSeller} AS slot,
                      (${sqlArray(BRANDS)})[1 + floor(random() * ${BRANDS.length})::int] AS brand,
                      (${sqlArray(WEIGHTS)})[1 + floor(random() * ${WEIGHTS.length})::int] AS weight,
                      (${sqlArray(LOCATIONS)})[1 + floor(random() * ${LOCATIONS.length})::int] AS location,
                      now() - interval '365 days' * (0.1 + random() * 0.9) AS added
                 FROM generate_series(1, ${SIZES.items}) i) x
         JOIN b_sellers s ON s.n = x.seller_n
        ORDER BY i`,
    );
    await db.query(
      `CREATE TEMP TABLE b_items AS
       SELECT g.id, g.seller_id, g.unit_price, g.date_added, s.n AS seller_n,
              (row_number() OVER (PARTITION BY g.seller_id ORDER BY g.id))::int AS slot
         FROM gas_inventory g JOIN b_sellers s ON s.id = g.seller_id`,
    );
    await db.query(`CREATE INDEX ON b_items (seller_n, slot)`);

    // Every 250th order is the heavy buyer's (200); every 25th is on the heavy seller's items (2,000).
    await db.query(
      `INSERT INTO orders (gas_inventory_id, buyer_id, seller_id, quantity, unit_price, total_price, status, status_reason,
                           delivery_address, contact_phone, created_at, updated_at)
       SELECT it.id, b.id, it.seller_id, o.qty, it.unit_price, it.unit_price * o.qty, o.status,
              CASE WHEN o.status = 'REJECTED' THEN 'Out of delivery range' END,
              u.address, u.phone_number, c.created, c.created + CASE WHEN o.status = 'PENDING' THEN interval '0' ELSE interval '6 hours' END
         FROM (SELECT i,
                      CASE WHEN i % ${SIZES.orders / HEAVY_BUYER_ORDERS} = 0 THEN 1
                           ELSE 2 + floor(random() * ${SIZES.buyers - 1})::int END AS buyer_n,
                      CASE WHEN i % ${SIZES.orders / HEAVY_SELLER_ORDERS} = 1 THEN 1
                           ELSE 2 + floor(random() * ${SIZES.sellers - 1})::int END AS seller_n,
                      1 + floor(random() * 45)::int AS slot,
                      1 + floor(random() * 4)::int AS qty,
                      ${STATUS_CASE} AS status,
                      random() AS age
                 FROM (SELECT i, random() AS r FROM generate_series(1, ${SIZES.orders}) i) g) o
         JOIN b_items it ON it.seller_n = o.seller_n AND it.slot = o.slot
         JOIN b_buyers b ON b.n = o.buyer_n
         JOIN users u ON u.id = b.id
         CROSS JOIN LATERAL (SELECT CASE WHEN o.status = 'PENDING' THEN now() - interval '${PENDING_MAX_AGE_HOURS} hours' * o.age
                                         ELSE it.date_added + (now() - it.date_added) * o.age END AS created) c
        ORDER BY c.created`,
    );
    await db.query(
      `UPDATE gas_inventory g SET reserved_quantity = open.units
         FROM (SELECT gas_inventory_id, SUM(quantity)::int AS units FROM orders
                WHERE status IN ('PENDING', 'APPROVED') GROUP BY gas_inventory_id) open
        WHERE g.id = open.gas_inventory_id`,
    );

    // Invoices: every DELIVERED order and half the APPROVED ones; most approved by an admin, many paid.
    await db.query(
      `INSERT INTO invoices (order_id, invoice_number, amount, is_paid, payment_date, admin_approval, admin_approval_date, created_at)
       SELECT id, 'INV-' || upper(lpad(to_hex(id), 8, '0')), total_price,
              approved AND paid, CASE WHEN approved AND paid THEN updated_at + interval '2 days' END,
              approved, CASE WHEN approved THEN updated_at + interval '1 day' END,
              updated_at
         FROM (SELECT o.*, random() < CASE WHEN status = 'DELIVERED' THEN 0.9 ELSE 0.5 END AS approved, random() < 0.8 AS paid
                 FROM orders o
                WHERE status = 'DELIVERED' OR (status = 'APPROVED' AND random() < 0.5)) x
        ORDER BY id`,
    );
    // A COMPLETED payment settles each paid invoice; some unpaid approved invoices have a PENDING one.
    await db.query(
      `INSERT INTO payments (invoice_id, amount, status, transaction_id, payment_method, created_at, updated_at)
       SELECT id, amount, 'COMPLETED', 'MPESA' || upper(lpad(to_hex(id * 7919), 8, '0')), 'M-Pesa', payment_date, payment_date
         FROM invoices WHERE is_paid
       UNION ALL
       SELECT id, amount, 'PENDING', NULL, 'Bank transfer', created_at + interval '1 day', created_at + interval '1 day'
         FROM invoices WHERE admin_approval AND NOT is_paid AND random() < 0.5`,
    );
    // Ratings on about 60 % of DELIVERED orders.
    await db.query(
      `INSERT INTO ratings (order_id, rating, comment, created_at)
       SELECT id, (ARRAY[5, 5, 5, 4, 4, 4, 3, 2, 1])[1 + floor(random() * 9)::int],
              (ARRAY['On time.', 'Friendly driver.', '', 'Late but fine.', 'Cylinder was dented.'])[1 + floor(random() * 5)::int],
              updated_at + interval '1 day'
         FROM orders WHERE status = 'DELIVERED' AND random() < 0.6`,
    );
    await db.query('COMMIT');
    // A database in service has been vacuumed: index-only scans need the visibility map a bulk load leaves unset.
    await db.query('VACUUM ANALYZE');

    const users = async (sql: string) => (await db.query<BenchUser>(sql)).rows;
    const [admin] = await users(`SELECT id, username, role FROM users WHERE username = 'bench_admin'`);
    const [heavyBuyer] = await users(
      `SELECT u.id, u.username, u.role FROM users u JOIN b_buyers b ON b.id = u.id WHERE b.n = 1`,
    );
    const [heavySeller] = await users(
      `SELECT u.id, u.username, u.role FROM users u JOIN b_sellers s ON s.id = u.id WHERE s.n = 1`,
    );
    const placingBuyers = await users(
      `SELECT u.id, u.username, u.role FROM users u JOIN b_buyers b ON b.id = u.id WHERE b.n > 1 ORDER BY b.n LIMIT 500`,
    );
    const ampleItemIds = (await db.query<{ id: number }>(`SELECT id FROM b_items WHERE slot = 49 ORDER BY id`)).rows.map((r) => r.id);
    const scarceItemIds = (
      await db.query<{ id: number }>(`SELECT id FROM b_items WHERE slot = 50 AND seller_n <= ${SCARCE_ITEMS} ORDER BY id`)
    ).rows.map((r) => r.id);

    const counts: Record<string, number> = {};
    for (const table of ['users', 'gas_inventory', 'orders', 'invoices', 'payments', 'ratings']) {
      counts[table] = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    const ordersByStatus: Record<string, number> = {};
    for (const row of (await db.query(`SELECT status, count(*)::int AS n FROM orders GROUP BY status ORDER BY status`)).rows) {
      ordersByStatus[row.status] = row.n;
    }
    const heavy = await db.query(
      `SELECT (SELECT count(*) FROM orders WHERE buyer_id = $1)::int AS buyer, (SELECT count(*) FROM orders WHERE seller_id = $2)::int AS seller`,
      [heavyBuyer.id, heavySeller.id],
    );
    if (heavy.rows[0].buyer !== HEAVY_BUYER_ORDERS || heavy.rows[0].seller !== HEAVY_SELLER_ORDERS) {
      throw new Error(`The heavy buyer/seller have ${heavy.rows[0].buyer}/${heavy.rows[0].seller} orders`);
    }
    return {
      admin,
      heavyBuyer,
      heavySeller,
      placingBuyers,
      ampleItemIds,
      scarceItemIds,
      counts,
      ordersByStatus,
      seconds: (Date.now() - started) / 1000,
      hashSeconds,
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** The stock rules, straight from the database: no figure below zero, reserved = open orders. */
export async function stockViolations(url: string, itemIds?: number[]): Promise<number> {
  const [{ n }] = await queryOnce<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM (
       SELECT g.id FROM gas_inventory g
         LEFT JOIN orders o ON o.gas_inventory_id = g.id AND o.status IN ('PENDING', 'APPROVED')
        WHERE $1::int[] IS NULL OR g.id = ANY($1)
        GROUP BY g.id
       HAVING g.quantity < 0 OR g.reserved_quantity < 0 OR g.reserved_quantity <> COALESCE(SUM(o.quantity), 0)) bad`,
    [itemIds ?? null],
  );
  return n;
}
