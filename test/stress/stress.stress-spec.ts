import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { findStockMismatches } from '../../src/inventory/stock-verify.js';

/**
 * Two app processes on one PostgreSQL database, 50 buyers and a few hundred
 * concurrent orders, cancels, approvals, rejections, deliveries and
 * restocks on a few scarce items, some retried under the same idempotency
 * key; midway one process is killed with SIGKILL and restarted. Afterwards
 * the stock must equal its ledger and the open orders, nothing is below
 * zero, and every accepted order is accounted for exactly once.
 *
 * `npm run test:stress` (needs TEST_DATABASE_URL: two processes cannot share
 * the embedded database).
 */
const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
const BUYERS = 50;
const SELLERS = 3;
const ITEMS_PER_SELLER = 2;
const ROUNDS = 6;

interface Instance {
  port: number;
  process?: ChildProcess;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function start(instance: Instance, migrate: boolean): Promise<void> {
  instance.process = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(instance.port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      MIGRATE_ON_START: String(migrate),
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '10',
      // Test-grade hashing: 50 buyers register at once and bcrypt at cost 12 would dominate the run.
      BCRYPT_COST: '4',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${instance.port}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance on port ${instance.port} did not become ready`);
}

interface Result {
  status: number;
  body: any;
}

describe('stress: two instances, one database, a kill in the middle', () => {
  const instances: Instance[] = [];
  let db: pg.Client;
  const tally = { requests: 0, ok: 0, conflicts: 0, refused: 0, serverErrors: 0, retries: 0 };

  async function call(method: string, path: string, token: string | undefined, body?: unknown, key?: string, prefer = 0): Promise<Result> {
    // Try the preferred instance, then the other: a client behind a load balancer.
    for (let attempt = 0; attempt < 40; attempt++) {
      const instance = instances[(prefer + attempt) % instances.length];
      tally.requests += 1;
      try {
        const res = await fetch(`http://127.0.0.1:${instance.port}/api/v1${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status >= 500) {
          tally.serverErrors += 1;
          // Only a write with an idempotency key (or a read) may be retried safely.
          if (key || method === 'GET') {
            tally.retries += 1;
            continue;
          }
        }
        if (res.status === 409) tally.conflicts += 1;
        if (res.status < 300) tally.ok += 1;
        return { status: res.status, body: text ? JSON.parse(text) : null };
      } catch {
        tally.refused += 1; // the instance is down: retry elsewhere
        tally.retries += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`${method} ${path} never got an answer`);
  }

  beforeAll(async () => {
    if (!process.env.TEST_DATABASE_URL) throw new Error('npm run test:stress needs TEST_DATABASE_URL (a PostgreSQL server)');
    instances.push({ port: await freePort() }, { port: await freePort() });
    await start(instances[0], true);
    await start(instances[1], false);
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) instance.process?.kill('SIGTERM');
    await db?.end();
  });

  it('keeps the stock exact and creates each order once', async () => {
    const started = Date.now();
    const password = 'stress-password-1';
    const register = async (role: string, i: number) => {
      const username = `stress_${role.toLowerCase()}_${i}_${randomUUID().slice(0, 8)}`;
      const res = await call('POST', '/register/', undefined, { username, email: `${username}@example.com`, password, role }, randomUUID());
      expect(res.status).toBe(201);
      return { id: res.body.user.id as number, username };
    };
    const login = async (username: string) => (await call('POST', '/login/', undefined, { username, password })).body.access as string;

    const sellers = [];
    for (let i = 0; i < SELLERS; i++) sellers.push(await register('SELLER', i));
    const adminUser = await register('BUYER', 999);
    await db.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [adminUser.id]);
    const admin = await login(adminUser.username);
    const sellerTokens = await Promise.all(sellers.map((s) => login(s.username)));
    const buyers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => register('BUYER', i)));
    const buyerTokens = await Promise.all(buyers.map((b) => login(b.username)));

    const items: { id: number; seller: number }[] = [];
    for (let s = 0; s < SELLERS; s++) {
      for (let k = 0; k < ITEMS_PER_SELLER; k++) {
        const res = await call('POST', '/inventory/', sellerTokens[s], { brand: 'JIBU', weight_kg: 13, quantity: 8, unit_price: '2500.00', location: `Stress ${s}-${k}` });
        items.push({ id: res.body.id, seller: s });
      }
    }

    const accepted = new Map<string, number>(); // idempotency key -> order id
    const placeOnce = async (b: number, round: number) => {
      const key = randomUUID();
      const item = items[(b + round) % items.length];
      const body = { gas_inventory: item.id, quantity: 1 + ((b + round) % 2), delivery_address: `Stress ${b}`, contact_phone: '+254700000000' };
      const first = await call('POST', '/orders/', buyerTokens[b], body, key, b);
      // Some clients retry on a flaky network: same key, other instance.
      if (b % 3 === 0) {
        const again = await call('POST', '/orders/', buyerTokens[b], body, key, b + 1);
        expect(again.status).toBe(first.status);
        if (first.status === 201) expect(again.body.id).toBe(first.body.id);
      }
      if (first.status === 201) accepted.set(key, first.body.id);
      else expect([409]).toContain(first.status);
      return first.status === 201 ? (first.body.id as number) : undefined;
    };

    for (let round = 0; round < ROUNDS; round++) {
      if (round === Math.floor(ROUNDS / 2)) {
        // Midway: kill one instance while a burst is in flight, then bring it back.
        const burst = Promise.all(buyers.map((_, b) => placeOnce(b, round)));
        await new Promise((r) => setTimeout(r, 30));
        instances[1].process!.kill('SIGKILL');
        await once(instances[1].process!, 'exit');
        await burst;
        await start(instances[1], false);
        continue;
      }
      const placed = await Promise.all(buyers.map((_, b) => placeOnce(b, round)));
      await Promise.all(
        placed.map(async (orderId, b) => {
          if (orderId === undefined) return;
          const pick = (b + round) % 5;
          if (pick === 0) await call('POST', `/orders/${orderId}/cancel/`, buyerTokens[b], undefined, undefined, b);
          if (pick === 1) await call('POST', `/orders/${orderId}/reject/`, admin, { reason: 'stress' }, undefined, b);
          if (pick >= 2) {
            const approved = await call('POST', `/orders/${orderId}/approve/`, admin, undefined, undefined, b);
            if (approved.status === 200 && pick === 3) {
              const owner = items.find((i) => i.id === approved.body.gas_inventory)!.seller;
              await call('POST', `/orders/${orderId}/mark-delivered/`, sellerTokens[owner], undefined, undefined, b + 1);
            }
          }
        }),
      );
      await Promise.all(items.map((item, i) => call('POST', `/inventory/${item.id}/restock/`, sellerTokens[item.seller], { quantity: 3 }, randomUUID(), i)));
    }

    // Every accepted order exists once, and no order exists that no client was told about.
    const ids = [...accepted.values()];
    expect(new Set(ids).size).toBe(ids.length);
    const { rows } = await db.query(`SELECT id FROM orders WHERE gas_inventory_id = ANY($1) ORDER BY id`, [items.map((i) => i.id)]);
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(await findStockMismatches(db)).toEqual([]);
    expect(tally.serverErrors).toBe(0);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `stress: ${tally.requests} requests in ${seconds}s over 2 instances (one SIGKILLed and restarted), ` +
        `${accepted.size} orders accepted, ${tally.conflicts} conflicts (409), ${tally.refused} refused while down, ` +
        `${tally.retries} retries, ${tally.serverErrors} server errors; stock verified against ledger and open orders`,
    );
  }, 300_000);
});
