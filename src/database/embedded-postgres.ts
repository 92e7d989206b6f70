import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL the ordinary `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A folder to keep the data in, or `memory://` for a throw-away database. */
  dataDir: string;
  /** How many client connections the socket server multiplexes onto PGlite. */
  maxConnections: number;
  /** 0 picks a free port. */
  port?: number;
}

/**
 * Real PostgreSQL compiled to WebAssembly, served over TCP on the loopback
 * interface so the app talks to it through the same `pg` driver and
 * migrations as to a PostgreSQL server. PGlite runs one statement at a time;
 * the socket server queues them, so transactions are serialised.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
