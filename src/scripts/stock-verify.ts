import 'reflect-metadata';
import pg from 'pg';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres.js';
import { findStockMismatches } from '../inventory/stock-verify.js';
import { loadConfigWithoutSecret, loadDotEnv, parseCommandLine, runCli } from './cli.js';

/**
 * `npm run stock:verify`: recomputes every item's figures from its ledger and
 * its open orders; prints each mismatch and exits 1 if there is one (2 if
 * it could not check).
 */
const USAGE = `Usage:
  npm run stock:verify
  (without npm: node dist/src/scripts/stock-verify.js)

  Uses DATABASE_URL (from the environment or .env), else the embedded database under PGLITE_DATA_DIR.
  Exits 0 when every figure is right, 1 when an item disagrees, 2 when it could not check.`;

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  loadDotEnv();
  const config = loadConfigWithoutSecret();
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

runCli({ name: 'Stock verification', usage: USAGE, failureCode: 2 }, main);
