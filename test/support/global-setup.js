// Plain JavaScript: Jest loads global setup with Node's own loader, which
// cannot follow the TypeScript sources' imports. Migrations therefore run when
// the first suite boots the app (MIGRATE_ON_START=true), once per run.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/**
 * One database for the whole run: a fresh database created on the server in
 * TEST_DATABASE_URL (dropped afterwards), or else an in-memory embedded
 * PostgreSQL. Suites isolate themselves by creating their own users and items.
 */
export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  // The suites log many users in quickly from one address: limits far above that
  // (the throttling suite sets its own), and only warnings and errors in the output.
  process.env.THROTTLE_LIMIT ??= '1000000';
  process.env.THROTTLE_AUTH_LIMIT ??= '1000000';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-for-hs256-000';
  process.env.MIGRATE_ON_START = 'true';
  // Suites place many orders per buyer; the limits have their own tests.
  process.env.MAX_OPEN_ORDERS_PER_BUYER ??= '10000';
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `gas_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    globalThis.__dropTestDatabase = async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
    console.log(`\nTests run against PostgreSQL at ${url.host}, fresh database ${name}`);
  } else {
    const db = await PGlite.create('memory://');
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 40 });
    await server.start();
    process.env.DATABASE_URL = `postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    // As the app does on its own embedded database: one connection, queued in the driver
    // (see DatabaseLocation.poolSize).
    process.env.DB_POOL_SIZE = '1';
    // And as it does there, no named statements: PGlite serves every client from one
    // session, where the names of the suites' pools would collide.
    process.env.DB_PREPARED_STATEMENTS = 'false';
    globalThis.__dropTestDatabase = async () => {
      await server.stop();
      await db.close();
    };
    console.log('\nTests run against the embedded PostgreSQL (PGlite, in memory)');
  }
}
