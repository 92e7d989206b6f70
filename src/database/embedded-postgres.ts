import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL the ordinary `pg` driver connects to. */
  url: string;
  /** True when another process (the running server) owns the database and this one only connects to it. */
  shared?: boolean;
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

interface Owner {
  pid: number;
  url: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Opens the embedded database kept in `dataDir`, or connects to it when
 * another process already has it open: PGlite can be opened by one process
 * at a time, so the owner (normally `npm start`) records its loopback URL in
 * `<dataDir>.json` and scripts such as `create-admin` or `seed` use that.
 */
export async function openEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const ownerFile = `${dataDir.replace(/[\\/]+$/, '')}.json`;
  if (existsSync(ownerFile)) {
    try {
      const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
      if (owner.pid !== process.pid && isAlive(owner.pid)) {
        return { url: owner.url, shared: true, stop: async () => undefined };
      }
    } catch {
      // unreadable: a crashed owner; take over below
    }
  }
  const embedded = await startEmbeddedPostgres({ dataDir, maxConnections });
  mkdirSync(dirname(ownerFile), { recursive: true });
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, url: embedded.url } satisfies Owner));
  return {
    url: embedded.url,
    async stop() {
      rmSync(ownerFile, { force: true });
      await embedded.stop();
    },
  };
}
