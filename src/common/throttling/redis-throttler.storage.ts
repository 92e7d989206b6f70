import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { MemoryThrottlerStorage, toSeconds, type ThrottlerStorageRecord } from './memory-throttler.storage.js';

/**
 * One atomic step of a fixed-window counter with blocking, the semantics of
 * `MemoryThrottlerStorage`: a hit counts while not blocked; the hit
 * that goes over the limit blocks the key for `block` ms, after which counting
 * starts afresh. Returns {hits, ms until the window ends, blocked 0/1, ms until
 * the block ends}.
 */
const INCREMENT_SCRIPT = `
local hitsKey, blockKey = KEYS[1], KEYS[2]
local ttl, limit, block = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local blockedFor = redis.call('PTTL', blockKey)
if blockedFor > 0 then
  return { limit + 1, blockedFor, 1, blockedFor }
end
local hits = redis.call('INCR', hitsKey)
local expiresIn = redis.call('PTTL', hitsKey)
if expiresIn < 0 then
  redis.call('PEXPIRE', hitsKey, ttl)
  expiresIn = ttl
end
if hits > limit then
  if block > 0 then
    redis.call('SET', blockKey, '1', 'PX', block)
    redis.call('DEL', hitsKey)
    return { hits, expiresIn, 1, block }
  end
  return { hits, expiresIn, 1, expiresIn }
end
return { hits, expiresIn, 0, 0 }
`;

type IncrementReply = [hits: number, expiresInMs: number, blocked: number, blockedForMs: number];

interface RedisWithThrottle extends Redis {
  throttleIncrement(hitsKey: string, blockKey: string, ttlMs: number, limit: number, blockMs: number): Promise<IncrementReply>;
}

/**
 * Rate-limit counters in Redis, so every instance of the API behind a load
 * balancer counts against the same limits. Redis being unreachable must not
 * take the API down with it: counting then falls back to this process's
 * memory (limits per instance) until Redis answers again.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Throttling');
  private readonly redis: RedisWithThrottle;
  private readonly fallback = new MemoryThrottlerStorage();
  private degraded = false;
  private closed = false;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      // Fail at once rather than queue while disconnected: a request must not wait on Redis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // On shutdown, destroy a socket that has not closed by then (ioredis waits 2 s by default).
      disconnectTimeout: 500,
    }) as RedisWithThrottle;
    this.redis.defineCommand('throttleIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis.on('error', (error: Error) => this.markDegraded(error));
    this.redis.on('ready', () => {
      if (this.degraded) this.logger.log('Redis is reachable again: rate limits are shared by every instance.');
      this.degraded = false;
    });
  }

  async onModuleInit(): Promise<void> {
    // Nest may call this once per provider that exposes this instance.
    if (this.redis.status !== 'wait') return;
    await this.redis.connect().catch((error: Error) => this.markDegraded(error));
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // While disconnected (ioredis reconnects by itself), don't send commands bound to fail.
    if (this.redis.status !== 'ready') return this.fallback.increment(key, ttl, limit, blockDuration);
    try {
      // The hash tag keeps both keys of a counter in one slot on a Redis Cluster.
      const base = `${this.prefix}{${key}}`;
      const [hits, expiresIn, blocked, blockedFor] = await this.redis.throttleIncrement(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration);
      return { totalHits: hits, timeToExpire: toSeconds(expiresIn), isBlocked: blocked === 1, timeToBlockExpire: toSeconds(blockedFor) };
    } catch (error) {
      this.markDegraded(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private markDegraded(error: Error): void {
    if (this.degraded || this.closed) return;
    this.degraded = true;
    this.logger.error(`Redis unavailable (${error.message}): rate limits are counted per instance until it returns.`);
  }
}
