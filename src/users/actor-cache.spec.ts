import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Actor } from '../common/auth/actor.js';
import { ActorCache, USER_CHANGES_CHANNEL } from './actor-cache.js';

/**
 * A stand-in for PostgreSQL's LISTEN/NOTIFY: clients made by `client()` hear
 * what any of them announces, as on a server (`passes: false` is a PGlite
 * socket server, which passes nothing between its clients).
 */
class FakeServer {
  readonly listeners = new Set<FakeClient>();
  trigger = true;
  passes = true;
  client = () => new FakeClient(this) as unknown as pg.Client;
  /** What the users_changed trigger does when a user changes. */
  announce(payload: string, from?: FakeClient) {
    for (const listener of this.listeners) {
      if (this.passes || listener === from) setImmediate(() => listener.emit('notification', { channel: USER_CHANGES_CHANNEL, payload }));
    }
  }
  cutAll() {
    for (const listener of [...this.listeners]) listener.emit('error', new Error('terminating connection due to administrator command'));
  }
}

class FakeClient extends EventEmitter {
  processID = 4242;
  constructor(private readonly server: FakeServer) {
    super();
  }
  async connect() {}
  async query(sql: string, values: string[] = []) {
    if (sql.startsWith('LISTEN')) this.server.listeners.add(this);
    if (sql.includes('pg_trigger')) return { rows: [{ ok: this.server.trigger }] };
    if (sql.includes('pg_notify')) this.server.announce(values[1], this);
    return { rows: [] };
  }
  async end() {
    this.server.listeners.delete(this);
  }
}

const quiet = { log: () => undefined, warn: () => undefined };
const buyer: Actor = { id: 7, role: 'BUYER', username: 'amina' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A read of the users table that counts its calls; `null`: the user is gone or deactivated. */
function counting(actor: Actor | null = buyer) {
  const reads: number[] = [];
  return { reads, read: async (id: number) => (reads.push(id), actor ?? undefined) };
}

async function following(server: FakeServer, maxAgeMs = 60_000) {
  const cache = new ActorCache({ maxAgeMs, maxEntries: 100 }, quiet);
  await cache.follow(server.client);
  return cache;
}

describe('ActorCache', () => {
  it('reads every time until it listens', async () => {
    const cache = new ActorCache({ maxAgeMs: 60_000, maxEntries: 100 }, quiet);
    const { reads, read } = counting();
    await cache.find(7, read);
    await cache.find(7, read);
    expect(reads).toEqual([7, 7]);
    expect(cache.active).toBe(false);
  });

  it('remembers a user once it hears announcements, and gives each request the same unchangeable answer', async () => {
    const cache = await following(new FakeServer());
    expect(cache.active).toBe(true);
    const { reads, read } = counting();
    const first = await cache.find(7, read);
    const second = await cache.find(7, read);
    expect(reads).toEqual([7]);
    expect(first).toEqual(buyer);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    await cache.close();
  });

  it('does not remember a user who is gone or deactivated', async () => {
    const cache = await following(new FakeServer());
    const { reads, read } = counting(null);
    expect(await cache.find(7, read)).toBeUndefined();
    expect(await cache.find(7, read)).toBeUndefined();
    expect(reads).toEqual([7, 7]);
    await cache.close();
  });

  it('forgets a user when their change is announced', async () => {
    const server = new FakeServer();
    const cache = await following(server);
    const { reads, read } = counting();
    await cache.find(7, read);
    server.announce('7');
    await tick();
    await cache.find(7, read);
    expect(reads).toEqual([7, 7]);
    await cache.close();
  });

  it('does not keep a read that started before a change was announced', async () => {
    const server = new FakeServer();
    const cache = await following(server);
    let finish!: (actor: Actor) => void;
    const slow = cache.find(7, () => new Promise<Actor>((resolve) => (finish = resolve)));
    server.announce('7');
    await tick();
    finish(buyer); // the row as it was before the change
    await slow;
    const { reads, read } = counting({ ...buyer, role: 'SELLER' });
    expect(await cache.find(7, read)).toEqual({ ...buyer, role: 'SELLER' });
    expect(reads).toEqual([7]);
    await cache.close();
  });

  it('forgets everything and reads every time once the listening connection is lost, until it is back', async () => {
    const server = new FakeServer();
    const cache = await following(server);
    const { reads, read } = counting();
    await cache.find(7, read);
    server.cutAll();
    expect(cache.active).toBe(false);
    await cache.find(7, read);
    await cache.find(7, read);
    expect(reads).toEqual([7, 7, 7]);
    for (let n = 0; n < 100 && !cache.active; n++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.active).toBe(true);
    await cache.find(7, read);
    await cache.find(7, read);
    expect(reads).toEqual([7, 7, 7, 7]);
    await cache.close();
  });

  it('finds out when announcements stop arriving on a connection that looks alive, and listens again', async () => {
    const server = new FakeServer();
    const cache = new ActorCache({ maxAgeMs: 60_000, maxEntries: 100, probeMs: 50, checkMs: 50 }, quiet);
    await cache.follow(server.client);
    expect(cache.active).toBe(true);
    const { reads, read } = counting();
    await cache.find(7, read);
    server.passes = false; // a firewall dropped the listening connection without a word
    const until = async (active: boolean) => {
      for (let n = 0; n < 200 && cache.active !== active; n++) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(false);
    expect(cache.active).toBe(false);
    await cache.find(7, read);
    expect(reads).toEqual([7, 7]);
    server.passes = true;
    await until(true);
    expect(cache.active).toBe(true);
    await cache.close();
  });

  it('reads a remembered user again after the longest age', async () => {
    const cache = await following(new FakeServer(), 20);
    const { reads, read } = counting();
    await cache.find(7, read);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.find(7, read);
    expect(reads).toEqual([7, 7]);
    await cache.close();
  });

  it('stays off where announcements do not pass between connections, or the trigger is missing', async () => {
    const silent = new FakeServer();
    silent.passes = false;
    const noTrigger = new FakeServer();
    noTrigger.trigger = false;
    for (const server of [noTrigger, silent]) {
      // The probe is never heard on the silent server: waits its whole (short) time.
      const cache = new ActorCache({ maxAgeMs: 60_000, maxEntries: 100, probeMs: 100 }, quiet);
      await cache.follow(server.client);
      expect(cache.active).toBe(false);
      const { reads, read } = counting();
      await cache.find(7, read);
      await cache.find(7, read);
      expect(reads).toEqual([7, 7]);
      expect(server.listeners.size).toBe(0);
      await cache.close();
    }
  });
});
