import 'reflect-metadata';
import pg from 'pg';
import { loadConfig } from '../config/configuration.js';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres.js';
import { findStockMismatches } from '../inventory/stock-verify.js';
import { loadDotEnv, runCli } from './cli.js';

/**
 * `npm run stock:verify`: recomputes every item's figures from its ledger and
 * its open orders; prints each mismatch and exits 1 if there is one (2 if
 * it could not check).
 */
async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await openEmbeddedPostgres(config.pgliteDataDir, 2);
    url = embedded.url;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [{ items }] = (await client.query(`SELECT count(*)::int AS items FROM gas_inventory`)).rows;
    const mismatches = await findStockMismatches(client);
    if (mismatches.length === 0) {
      console.log(`Stock verified: ${items} item(s), every figure equals its ledger and open orders.`);
      return 0;
    }
    console.error(`${mismatches.length} item(s) disagree with their ledger or open orders:`);
    console.table(mismatches);
    return 1;
  } finally {
    await client.end();
    await embedded?.stop();
  }
}

runCli({ name: 'Stock verification', failureCode: 2 }, main);
