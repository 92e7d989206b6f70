import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Actor } from '../common/auth/actor.js';
import { BoundedMemo } from '../common/bounded-memo.js';

/** The channel the `UserChangeNotifications` migration's trigger announces a changed or deleted user's id on. */
export const USER_CHANGES_CHANNEL = 'users_changed';

export interface ActorCacheOptions {
  /** How long one user is trusted without being read again, in case an announcement is ever lost. */
  maxAgeMs: number;
  /** How many users at most; when full, it starts over (10,000). */
  maxEntries?: number;
  /** How long the listening connection waits to hear the test announcement another connection makes (5 s). */
  probeMs?: number;
  /** How often that test is made again while listening (30 s): a connection a firewall dropped without a word is found. */
  checkMs?: number;
}

export interface ActorCacheLog {
  log(message: string): void;
  warn(message: string): void;
}

interface Entry {
  actor: Actor;
  until: number;
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;
const PROBE_PREFIX = 'probe:';

/**
 * The users behind access tokens (`UsersService.findActor`, every
 * authenticated request), remembered between requests, but only while this
 * process hears PostgreSQL announce every change to them: the
 * `users_changed` trigger names each user whose role, username or active
 * flag changes, or who is deleted, when the change commits, whichever
 * instance, script or console made it, and the user is forgotten here. A read
 * that started before a change was heard is not remembered (the generation
 * below), so a stale row cannot be kept. While nobody listens (before
 * `follow`, after the listening connection is lost until it is back), every
 * lookup reads the database. Users are only remembered once the listening
 * connection has heard an announcement made from another connection (a
 * PGlite socket server accepts LISTEN but passes nothing between its
 * clients, so there the cache stays off), and that test is made again every
 * `checkMs` while listening. `maxAgeMs` bounds what a lost announcement
 * could cost.
 */
export class ActorCache {
  private readonly entries: BoundedMemo<number, Entry>;
  /** Bumped by every change heard or made: a read that started before it is not remembered. */
  private generation = 0;
  private listening = false;
  private stopped = false;
  private client?: pg.Client;
  private newClient?: () => pg.Client;
  private retry?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;
  private lost = false;
  private probe?: { payload: string; heard: () => void };
  private check?: NodeJS.Timeout;

  constructor(
    private readonly options: ActorCacheOptions,
    private readonly logger: ActorCacheLog,
  ) {
    this.entries = new BoundedMemo(options.maxEntries ?? 10_000);
  }

  /** Whether users are being remembered: true while the listening connection is up. */
  get active(): boolean {
    return this.listening;
  }

  /** The PostgreSQL backend serving the listening connection (`pg_stat_activity.pid`), while there is one. */
  get listenerPid(): number | undefined {
    return this.listening ? (this.client as { processID?: number } | undefined)?.processID : undefined;
  }

  /** The user `id`, remembered or read with `read` (undefined when gone or deactivated; that is not remembered). */
  async find(id: number, read: (id: number) => Promise<Actor | undefined>): Promise<Actor | undefined> {
    if (this.listening) {
      const entry = this.entries.find(id);
      if (entry !== undefined && entry.until > Date.now()) return entry.actor;
    }
    const generation = this.generation;
    const actor = await read(id);
    if (actor === undefined || !this.listening || generation !== this.generation) return actor;
    // Shared by the requests to come, so nobody may change it.
    const remembered = Object.freeze({ ...actor });
    this.entries.remember(id, { actor: remembered, until: Date.now() + this.options.maxAgeMs });
    return remembered;
  }

  /** Forgets one user: this process changed it, and does not wait for the announcement. */
  forget(id: number): void {
    this.generation++;
    this.entries.forget(id);
  }

  /**
   * Listens for user changes on a connection of its own, made by `newClient`,
   * and again whenever it is lost. Never rejects: without it, users are read.
   */
  async follow(newClient: () => pg.Client): Promise<void> {
    this.newClient = newClient;
    await this.listen().catch((error: Error) => this.logger.warn(`Not hearing of user changes (${error.message}): every request reads its user`));
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.check);
    this.reset(false);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Nest calls this on shutdown. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /**
   * Whether the listening connection will hear of every change: the
   * migrations' trigger is there, and a probe announced from another
   * connection reaches it.
   */
  private async announceAndHear(client: pg.Client): Promise<'heard' | 'no trigger' | 'not heard'> {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'users_changed' AND tgrelid = to_regclass('users')) AS ok`,
    );
    if (!rows[0]?.ok) return 'no trigger';
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.probe = { payload, heard: () => resolve(true) };
      timer = setTimeout(() => resolve(false), this.options.probeMs ?? 5_000);
      timer.unref();
    });
    const announcer = this.newClient!();
    announcer.on('error', () => undefined);
    try {
      await announcer.connect();
      await announcer.query('SELECT pg_notify($1, $2)', [USER_CHANGES_CHANNEL, payload]);
    } finally {
      await announcer.end().catch(() => undefined);
    }
    try {
      return (await heard) ? 'heard' : 'not heard';
    } finally {
      clearTimeout(timer);
      if (this.probe?.payload === payload) this.probe = undefined;
    }
  }

  private reset(listening: boolean): void {
    this.listening = listening;
    this.generation++;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    if (this.stopped || !this.newClient) return;
    const client = this.newClient();
    this.client = client;
    const lose = (reason: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.reset(false);
      clearInterval(this.check);
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.stopped) return;
      if (!this.lost) this.logger.warn(`Not hearing of user changes (${reason}): every request reads its user until the connection is back`);
      this.lost = true;
      this.retry = setTimeout(() => void this.follow(this.newClient!), this.retryMs);
      this.retry.unref();
      this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    };
    client.on('error', (error: Error) => lose(error.message));
    client.on('end', () => lose('connection closed'));
    client.on('notification', (message) => {
      if (message.channel !== USER_CHANGES_CHANNEL) return;
      const payload = message.payload ?? '';
      if (payload.startsWith(PROBE_PREFIX)) {
        if (payload === this.probe?.payload) this.probe.heard();
        return;
      }
      const id = Number(payload);
      if (Number.isInteger(id)) this.forget(id);
      else this.reset(this.listening);
    });
    let heard: Awaited<ReturnType<ActorCache['announceAndHear']>>;
    try {
      await client.connect();
      await client.query(`LISTEN ${USER_CHANGES_CHANNEL}`);
      heard = await this.announceAndHear(client);
    } catch (error) {
      lose((error as Error).message);
      return;
    }
    if (this.client !== client) return;
    if (heard !== 'heard') {
      this.logger.log(
        heard === 'no trigger'
          ? 'The users_changed trigger is missing (migrations not run?): every request reads its user'
          : 'The database does not pass announcements between connections (a PGlite socket server, PgBouncer in transaction mode?): every request reads its user',
      );
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      return;
    }
    this.reset(true);
    this.retryMs = FIRST_RETRY_MS;
    // Heard once is not heard forever: a connection dropped without a word (a firewall's idle timeout) hears nothing.
    this.check = setInterval(() => {
      if (this.client !== client || this.probe !== undefined) return;
      this.announceAndHear(client).then(
        (again) => again !== 'heard' && lose(again === 'no trigger' ? 'the users_changed trigger is gone' : 'a test announcement was not heard'),
        (error: Error) => lose(error.message),
      );
    }, this.options.checkMs ?? 30_000);
    this.check.unref();
    this.logger.log(`Hearing of user changes${this.lost ? ' again' : ''}: users are remembered between requests`);
    this.lost = false;
  }
}
