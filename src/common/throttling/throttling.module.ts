import { Logger, Module } from '@nestjs/common';
import { ThrottlerModule, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { AccessTokenVerifier } from '../../auth/access-token-verifier.js';
import { BoundedMemo } from '../bounded-memo.js';
import { appConfig, type AppSettings } from '../../config/app.config.js';
import { isAuthThrottled } from './auth-throttle.decorator.js';
import { ClientIdentity } from './client-identity.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

export const THROTTLER_STORE = Symbol('THROTTLER_STORE');

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * A tracker's hashed key, remembered for the clients seen lately: a client
 * making many requests has its key hashed once, not on each of them (the hash
 * was about 1 % of a list request's CPU).
 */
const trackerKeys = new BoundedMemo<string, string>(10_000);
const requestOf = (context: Parameters<typeof isAuthThrottled>[0]) => context.switchToHttp().getRequest();

function throttlerOptions(config: AppSettings, storage: ThrottlerStorage, tokens: AccessTokenVerifier): ThrottlerModuleOptions {
  const { limit, ttlSeconds, authLimit, authTtlSeconds } = config.throttle;
  const identity = new ClientIdentity(tokens);
  const auth = { limit: authLimit, ttl: authTtlSeconds * 1000, setHeaders: false };
  return {
    storage,
    // One counter per limit and client, across routes and instances; hashed so
    // Redis holds no addresses or usernames.
    generateKey: (_context, tracker, name) => `${name}:${trackerKeys.get(tracker, sha256)}`,
    throttlers: [
      { name: 'default', limit, ttl: ttlSeconds * 1000, skipIf: isAuthThrottled, getTracker: (req) => identity.of(req as never) },
      {
        name: 'auth-ip',
        ...auth,
        skipIf: (context) => !isAuthThrottled(context),
        getTracker: (req) => ClientIdentity.address(req as never),
      },
      {
        name: 'auth-username',
        ...auth,
        // A body without a username fails validation; it still counts against its address.
        skipIf: (context) => !isAuthThrottled(context) || ClientIdentity.submittedUsername(requestOf(context)) === undefined,
        getTracker: (req) => ClientIdentity.submittedUsername(req as never)!,
      },
    ],
  };
}

function createStore(config: AppSettings): ThrottlerStorage {
  const logger = new Logger('Throttling');
  const { redisUrl, redisPrefix } = config.throttle;
  if (!redisUrl) {
    logger.log('Rate limits are counted in memory (set REDIS_URL to share them between instances).');
    return new MemoryThrottlerStorage();
  }
  logger.log(`Rate limits are counted in Redis at ${new URL(redisUrl).host}, shared by every instance.`);
  return new RedisThrottlerStorage(redisUrl, redisPrefix);
}

@Module({
  providers: [{ provide: THROTTLER_STORE, inject: [appConfig.KEY], useFactory: createStore }],
  exports: [THROTTLER_STORE],
})
class ThrottlerStoreModule {}

/**
 * Rate limits (`@nestjs/throttler`): a general limit per user (per address when
 * anonymous) on every route, and a strict one on login and register per
 * address and per username. Counters live in Redis when REDIS_URL is set, so
 * instances share them; otherwise in this process.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStoreModule],
      inject: [appConfig.KEY, THROTTLER_STORE, AccessTokenVerifier],
      useFactory: throttlerOptions,
    }),
  ],
})
export class ThrottlingModule {}
