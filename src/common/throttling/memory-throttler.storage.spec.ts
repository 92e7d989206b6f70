import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

const MINUTE = 60_000;

/** A storage on a clock the test moves. */
function storageAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, storage: new MemoryThrottlerStorage(() => clock.now) };
}

describe('MemoryThrottlerStorage', () => {
  it('counts hits per key within a window and reports what is left of it', async () => {
    const { clock, storage } = storageAt();
    expect(await storage.increment('a', MINUTE, 3, MINUTE)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    clock.now += 20_500;
    expect(await storage.increment('a', MINUTE, 3, MINUTE)).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
    // Another key has a counter of its own.
    expect((await storage.increment('b', MINUTE, 3, MINUTE)).totalHits).toBe(1);
    expect((await storage.increment('a', MINUTE, 3, MINUTE)).totalHits).toBe(3);
  });

  it('blocks the key for the block duration on the hit over the limit, then counts afresh', async () => {
    const { clock, storage } = storageAt();
    for (let n = 1; n <= 2; n++) expect((await storage.increment('a', MINUTE, 2, 30_000)).isBlocked).toBe(false);
    expect(await storage.increment('a', MINUTE, 2, 30_000)).toEqual({ totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 30 });
    clock.now += 10_000;
    expect(await storage.increment('a', MINUTE, 2, 30_000)).toEqual({ totalHits: 3, timeToExpire: 20, isBlocked: true, timeToBlockExpire: 20 });
    // Still blocked at the last millisecond of the block, free after it with a new window.
    clock.now += 19_999;
    expect((await storage.increment('a', MINUTE, 2, 30_000)).isBlocked).toBe(true);
    clock.now += 1;
    expect(await storage.increment('a', MINUTE, 2, 30_000)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('without a block duration, refuses hits over the limit until the window ends', async () => {
    const { clock, storage } = storageAt();
    await storage.increment('a', MINUTE, 1, 0);
    clock.now += 45_000;
    expect(await storage.increment('a', MINUTE, 1, 0)).toEqual({ totalHits: 2, timeToExpire: 15, isBlocked: true, timeToBlockExpire: 15 });
    clock.now += 15_000;
    expect((await storage.increment('a', MINUTE, 1, 0)).isBlocked).toBe(false);
  });

  it('starts a new window once the old one has ended', async () => {
    const { clock, storage } = storageAt();
    for (let n = 0; n < 5; n++) await storage.increment('a', MINUTE, 10, MINUTE);
    clock.now += MINUTE;
    expect((await storage.increment('a', MINUTE, 10, MINUTE)).totalHits).toBe(1);
  });

  it('forgets counters whose window and block have ended, but not live ones', async () => {
    const { clock, storage } = storageAt();
    await storage.increment('ended', MINUTE, 10, MINUTE);
    await storage.increment('blocked', MINUTE, 0, 5 * MINUTE);
    clock.now += MINUTE;
    await storage.increment('fresh', MINUTE, 10, MINUTE);
    // 'ended' is gone; 'blocked' stays blocked; 'fresh' is counted.
    expect(storage.size).toBe(2);
    expect((await storage.increment('blocked', MINUTE, 0, 5 * MINUTE)).isBlocked).toBe(true);
    expect((await storage.increment('fresh', MINUTE, 10, MINUTE)).totalHits).toBe(2);
  });

  it('keeps one counter for a busy key, however many hits it has had', async () => {
    // The library's store copied every live hit's expiry on each request; this one keeps a count.
    const { storage } = storageAt();
    for (let n = 0; n < 100_000; n++) await storage.increment('busy', MINUTE, 1_000_000, MINUTE);
    expect(await storage.increment('busy', MINUTE, 1_000_000, MINUTE)).toEqual({ totalHits: 100_001, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(storage.size).toBe(1);
  });
});
