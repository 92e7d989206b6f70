import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';

/**
 * The real server as a child process (`node dist/src/main.js`, compiled here
 * from the current sources), stopped with SIGTERM while requests are in
 * flight. The database is a fresh one on the PostgreSQL server when the run
 * uses one (TEST_DATABASE_URL), else the server's own embedded PostgreSQL.
 */
const ROOT = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'gas-shutdown-'));
const serverUrl = process.env.TEST_DATABASE_URL;
const databaseName = `gas_shutdown_${process.pid}_${Date.now()}`;
let databaseUrl: string | undefined;

async function build(): Promise<string> {
  const outDir = join(work, 'build');
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: ROOT,
  });
  // The compiled files are ES modules that import the project's packages.
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return join(outDir, 'src/main.js');
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

let entry: string;
const running: Server[] = [];

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(childEnv)) {
    if (/^(DATABASE_URL|DB_POOL_SIZE|REDIS_URL|THROTTLE_|CORS_|TRUST_PROXY|BODY_LIMIT)/.test(name)) delete childEnv[name];
  }
  const dbEnv: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'true' }
    : { PGLITE_DATA_DIR: join(work, 'pglite') };
  const child = spawn(process.execPath, [entry], {
    cwd: work,
    env: { ...childEnv, ...dbEnv, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const server = { child, port, output: () => output, exited };
  running.push(server);

  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (let attempt = 0; attempt < 300 && !exitedEarly; attempt += 1) {
    const up = await request(`http://127.0.0.1:${port}`)
      .get('/health/live')
      .then((res) => res.status === 200)
      .catch(() => false);
    if (up) return server;
    await sleep(200);
  }
  throw new Error(`The server did not start:\n${output}`);
}

/** A request written by hand on its own connection, so the test decides when its body arrives. */
class RawRequest {
  private data = '';
  private readonly waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.data += chunk;
      this.waiters.splice(0).forEach((wake) => wake());
    });
    socket.on('error', () => undefined);
    this.closed = once(socket, 'close').then(() => {
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  static async open(port: number): Promise<RawRequest> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawRequest(socket);
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Resolves once the received bytes contain `text`; rejects if the connection closes first. */
  async received(text: string): Promise<void> {
    while (!this.data.includes(text)) {
      if (this.socket.destroyed) throw new Error(`Connection closed before "${text}" arrived; got: ${this.data}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** Everything the server sent on this connection, once it has closed it. */
  async finalResponse(): Promise<{ status: number; headers: Record<string, string>; body: unknown } | undefined> {
    await this.closed;
    const responses = this.data.split(/(?=HTTP\/1\.1 \d{3} )/).filter((part) => !part.startsWith('HTTP/1.1 100 '));
    const last = responses.pop();
    if (!last) return undefined;
    const [head, body] = [last.slice(0, last.indexOf('\r\n\r\n')), last.slice(last.indexOf('\r\n\r\n') + 4)];
    const [statusLine, ...headerLines] = head.split('\r\n');
    const headers = Object.fromEntries(
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined };
  }
}

/**
 * Starts a login whose headers the server has read (it answered `100 Continue`)
 * but whose body has only half arrived: a request in flight.
 */
async function loginInFlight(port: number, username: string, password: string) {
  const body = JSON.stringify({ username, password });
  const raw = await RawRequest.open(port);
  raw.write(
    'POST /api/v1/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
  );
  await raw.received('HTTP/1.1 100 Continue');
  const half = Math.floor(body.length / 2);
  raw.write(body.slice(0, half));
  return { raw, finish: () => raw.write(body.slice(half)) };
}

async function connectionRefused(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const socket = connect(port, '127.0.0.1');
    const outcome = await new Promise<string | undefined>((settle) => {
      socket.once('connect', () => settle('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code));
    });
    socket.destroy();
    if (outcome === 'ECONNREFUSED') return true;
    await sleep(25);
  }
  return false;
}

beforeAll(async () => {
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  entry = await build();
}, 120_000);

afterEach(() => {
  for (const server of running.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
});

afterAll(async () => {
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
  rmSync(work, { recursive: true, force: true });
});

describe('graceful shutdown on SIGTERM', () => {
  it('refuses new connections, finishes the requests in flight, closes idle connections and exits 0', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT: '20s' });
    const http = request(`http://127.0.0.1:${server.port}`);
    const username = `shutdown_${Date.now()}`;
    const password = 'a-long-password-1';
    const register = await http.post('/api/v1/register/').send({ username, email: `${username}@example.com`, password, role: 'BUYER' });
    expect(register.status).toBe(201);

    // An idle kept-alive connection, and three logins in flight.
    const idle = await RawRequest.open(server.port);
    idle.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await idle.received('"status":"ok"');
    const inFlight = [
      await loginInFlight(server.port, username, password),
      await loginInFlight(server.port, username.toUpperCase(), password),
      await loginInFlight(server.port, username, 'not-the-password'),
    ];

    server.child.kill('SIGTERM');
    expect(await connectionRefused(server.port)).toBe(true);
    await idle.closed;

    // The bodies arrive after the server stopped listening: the requests still complete, with the database.
    for (const request of inFlight) request.finish();
    const [first, second, wrong] = await Promise.all(inFlight.map(({ raw }) => raw.finalResponse()));
    for (const ok of [first, second]) {
      expect(ok?.status).toBe(200);
      expect(Object.keys(ok?.body as object).sort()).toEqual(['access', 'refresh']);
      expect(ok?.headers.connection).toBe('close');
    }
    expect(wrong?.status).toBe(401);
    expect(wrong?.body).toMatchObject({ code: 'not_authenticated' });

    const [code, signal] = await server.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM: refusing new connections, finishing 3 request(s) in flight');
  }, 90_000);

  it('cuts a request still in flight after SHUTDOWN_TIMEOUT, and still exits 0', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT: '1s' });
    const stuck = await loginInFlight(server.port, 'whoever', 'whatever');

    server.child.kill('SIGTERM');
    // The body never comes: the server gives up on it and closes the connection without an answer.
    expect(await stuck.raw.finalResponse()).toBeUndefined();
    const [code, signal] = await server.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('Shutdown timeout: cutting 1 request(s) still in flight');
  }, 90_000);
});
