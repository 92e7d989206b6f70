import pg from 'pg';
import { findStockMismatches } from '../../src/inventory/stock-verify.js';

/**
 * After every suite (once its app has closed), the same check as
 * `npm run stock:verify`: every item's figures equal its ledger and its open
 * orders, and nothing is below zero. A suite that broke the stock fails here.
 */
afterAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query(`SELECT to_regclass('stock_movements') AS t`);
    if (tables.rows[0].t === null) return; // a unit-test-only run never migrated the database
    expect(await findStockMismatches(client)).toEqual([]);
  } finally {
    await client.end();
  }
});
