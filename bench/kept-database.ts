/**
 * A database the bench loaded and kept (`BENCH_KEEP_DB=1 npm run bench`), as
 * `bench:profile` and `bench:duel` reuse it.
 */
import pg from 'pg';
import type { BenchUser } from './dataset.js';

/**
 * Vacuums a kept database, as the bench's load leaves it: the kept run's
 * orders cleared the items' visibility map, which the gas count's index-only
 * scan reads (unvacuumed, it read 417 rows from the table).
 */
export async function vacuum(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

/** Users the scenarios need, looked up in an already loaded bench database. */
export async function usersOf(url: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const pick = async (sql: string) => (await db.query(sql)).rows as BenchUser[];
    const [heavyBuyer] = await pick(`SELECT u.id, u.role, u.username FROM users u JOIN orders o ON o.buyer_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`);
    const [heavySeller] = await pick(`SELECT u.id, u.role, u.username FROM users u JOIN orders o ON o.seller_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`);
    const placingBuyers = await pick(`SELECT id, role, username FROM users WHERE role = 'BUYER' ORDER BY id DESC LIMIT 200`);
    const ampleItemIds = (await db.query(`SELECT id FROM gas_inventory WHERE quantity >= 100000 AND deleted_at IS NULL ORDER BY id LIMIT 100`)).rows.map((r) => r.id as number);
    return { heavyBuyer, heavySeller, placingBuyers, ampleItemIds, scarceItemIds: [] };
  } finally {
    await db.end();
  }
}

