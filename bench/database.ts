import { ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';

export interface BenchDatabase {
  url: string;
  /** What the report says about where the data lives. */
  description: string;
  embedded: boolean;
  drop(): Promise<void>;
}

/** How the app and the reference server connect to the bench database. */
export interface ConnectionSettings {
  poolSize: number;
  /** Named statements (`DB_PREPARED_STATEMENTS`), as the app sends them; the bench's EXPLAIN too. */
  preparedStatements: boolean;
}

/**
 * The configured pool and named statements on a PostgreSQL server. On the
 * embedded PGlite, a pool of 1 and no named statements, as the app uses it
 * when it starts it itself: its socket server can interleave the messages of
 * concurrent connections (see DatabaseLocation.poolSize), and serves them all
 * from one session, where the app's, the reference's and the EXPLAIN's
 * statement names would collide.
 */
export function connectionSettings(embedded: boolean, poolSize: number): ConnectionSettings {
  return embedded ? { poolSize: 1, preparedStatements: false } : { poolSize, preparedStatements: true };
}

/**
 * A fresh database for one bench run: a new database on the server in
 * `serverUrl` (dropped afterwards unless kept), or an in-memory embedded
 * PGlite in a process of its own so it does not share a thread with the
 * load generator.
 */
export async function createBenchDatabase(serverUrl: string | undefined, keep: boolean): Promise<BenchDatabase> {
  if (!serverUrl) return startEmbedded();
  const name = `gas_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description: `PostgreSQL at ${url.host}, fresh database ${name}`,
    embedded: false,
    async drop() {
      if (keep) {
        console.log(`BENCH_KEEP_DB: kept database ${name}`);
        return;
      }
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function startEmbedded(): Promise<BenchDatabase> {
  const script = fileURLToPath(new URL('./pglite-server.js', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^URL (\S+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the embedded database exited with ${code}`)));
  });
  return {
    url,
    description: 'embedded PGlite (in memory, one statement at a time, pool of 1): NOT comparable to a PostgreSQL server',
    embedded: true,
    async drop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Runs the app's own migrations, exactly as `npm run migration:run` does. */
export async function migrate(url: string): Promise<number> {
  const ds = new DataSource({ ...dataSourceOptions(url, 1), logging: ['error'] });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.length;
  } finally {
    await ds.destroy();
  }
}

/** One statement on its own connection, for the checks before and after the load. */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query<R>(sql, params)).rows;
  } finally {
    await db.end();
  }
}
