/**
 * The database `bench:profile` and `bench:duel` run the app on: one the bench
 * loaded and kept (`BENCH_KEEP_DB=1 npm run bench`, passed as PROFILE_DB), or
 * a fresh one loaded on DATABASE_URL's server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BENCH_APP_ENV, type BenchConfig } from './config.js';
import { connectionSettings, createBenchDatabase, migrate } from './database.js';
import { loadDataset, type BenchUser } from './dataset.js';
import type { LoadSpec } from './load.js';
import { scenarioSpecs } from './scenarios.js';

/**
 * Vacuums a kept database, as the bench's load leaves it: the kept run's
 * orders cleared the items' visibility map, which the gas count's index-only
 * scan reads (unvacuumed, it read 417 rows from the table).
 */
async function vacuum(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

/** Users the scenarios need, looked up in an already loaded bench database. */
async function usersOf(url: string) {
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

export interface ScenarioDatabase {
  url: string;
  embedded: boolean;
  /** One scenario's requests, with tokens minted for the app's secret in `appEnv`. */
  spec: LoadSpec;
  /** The app's environment on this database, as `npm run bench` starts it. */
  appEnv: Record<string, string>;
  /** Drops a fresh database; a kept one stays. */
  drop(): Promise<void>;
}

/** PROFILE_DB's kept database (vacuumed), or a fresh one loaded and dropped afterwards; and `scenario`'s requests on it. */
export async function scenarioDatabase(config: BenchConfig, scenario: string): Promise<ScenarioDatabase> {
  const kept = process.env.PROFILE_DB;
  const db = kept ? undefined : await createBenchDatabase(config.serverUrl, false);
  const url = kept ?? db!.url;
  const embedded = db?.embedded ?? false;
  const drop = async () => db?.drop();
  try {
    if (kept) {
      await vacuum(url);
    } else {
      await migrate(url);
      await loadDataset(url, 4);
    }
    const secret = randomBytes(48).toString('base64url');
    // The race needs the bench's fresh scarce items: it runs in `npm run bench` only.
    const { race: _race, ...specs }: Record<string, LoadSpec> = scenarioSpecs(secret, await usersOf(url));
    const spec = specs[scenario];
    if (!spec) throw new Error(`scenario must be one of ${Object.keys(specs).join(', ')}`);
    const connection = connectionSettings(embedded, config.poolSize);
    const appEnv = {
      ...BENCH_APP_ENV,
      DATABASE_URL: url,
      JWT_SECRET: secret,
      DB_POOL_SIZE: String(connection.poolSize),
      DB_PREPARED_STATEMENTS: String(connection.preparedStatements),
    };
    return { url, embedded, spec, appEnv, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
