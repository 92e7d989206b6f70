import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

/**
 * The embedded PostgreSQL for a bench run without DATABASE_URL, in its own
 * process: prints `URL <postgres url>` once it listens, stops on SIGTERM.
 */
const db = await startEmbeddedPostgres({ dataDir: 'memory://', maxConnections: 8 });
process.stdout.write(`URL ${db.url}\n`);

const stop = async () => {
  await db.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
