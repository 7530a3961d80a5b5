/**
 * What gateway replicas share: Redis when `REDIS_URL` is set, this process's memory otherwise. Two
 * things are built on it: key-value caches (Apollo's `KeyValueCache` shape: automatic persisted queries
 * and Apollo Server's cache) and rate limiters (rate-limiter-flexible).
 *
 * Redis is a help, never a dependency the gateway dies of: while it is unreachable, caches answer
 * misses and drop writes, and each rate limiter counts in this process (its `insuranceLimiter`) until
 * Redis is back. The outage is logged once when it starts and once when it ends. Commands never queue
 * while Redis is away (`enableOfflineQueue: false`) and never wait longer than `commandTimeoutMs`, so a
 * hung Redis costs a request at most that.
 *
 * Every key starts with `keyPrefix` (default `ungegraf:`), so the graph can share a Redis with others.
 */
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { ConfigError, readInt, readOptionalString, readString } from './env.js';

export interface SharedStateConfig {
  /** `redis://` or `rediss://` URL; absent: process memory. */
  redisUrl: string | undefined;
  /** Put before every key. */
  keyPrefix: string;
  /** Longest wait for one Redis command before it counts as failed. */
  commandTimeoutMs: number;
  /** Longest wait to open the connection at start (it keeps trying in the background after that). */
  connectTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

export function loadSharedStateConfig(env: Env = process.env): SharedStateConfig {
  const redisUrl = readOptionalString(env, 'REDIS_URL');
  if (redisUrl !== undefined) {
    let protocol: string;
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}"`);
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:')
      throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got protocol "${protocol}"`);
  }
  const keyPrefix = readString(env, 'REDIS_KEY_PREFIX', 'ungegraf:');
  if (!/^[A-Za-z0-9:._-]{1,100}$/.test(keyPrefix))
    throw new ConfigError(`REDIS_KEY_PREFIX must be 1-100 of [A-Za-z0-9:._-], got "${keyPrefix}"`);
  return {
    redisUrl,
    keyPrefix,
    commandTimeoutMs: readInt(env, 'REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    connectTimeoutMs: readInt(env, 'REDIS_CONNECT_TIMEOUT_MS', 2000, 10, 60_000),
  };
}

/** `@apollo/utils.keyvaluecache`'s `KeyValueCache` (the shape Apollo Server's caches take). */
export interface KeyValueCache<V = string> {
  get(key: string): Promise<V | undefined>;
  /** `ttl` in seconds; absent or null: no expiry. */
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export interface RateLimiterOptions {
  /** Names the counters (part of their keys). */
  name: string;
  /** Points per window. */
  points: number;
  durationSeconds: number;
}

export interface SharedState {
  readonly kind: 'redis' | 'memory';
  /** Redis reachable now (memory: always). */
  readonly available: boolean;
  /** A cache whose keys start with `<keyPrefix><namespace>`. */
  cache(namespace: string): KeyValueCache<string>;
  /** Counts in Redis, or in this process while Redis is away or when none is configured. */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Memory

/**
 * A bounded in-process cache (least recently used out first, lru-cache), with per-entry TTL in seconds
 * as Apollo's KeyValueCache gives it (none or 0: until evicted).
 */
export class MemoryCache implements KeyValueCache<string> {
  private readonly entries: LRUCache<string, string>;
  constructor(maxEntries = 10_000) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    this.entries.set(key, value, typeof ttl === 'number' && ttl > 0 ? { ttl: Math.ceil(ttl * 1000) } : {});
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
}

/** No Redis configured: everything in this process (one replica, development, `npm test`). */
export function memorySharedState(keyPrefix = 'ungegraf:'): SharedState {
  const caches = new Map<string, MemoryCache>();
  return {
    kind: 'memory',
    available: true,
    cache(namespace) {
      let cache = caches.get(namespace);
      if (!cache) caches.set(namespace, (cache = new MemoryCache()));
      return cache;
    },
    rateLimiter: ({ name, points, durationSeconds }) =>
      new RateLimiterMemory({ keyPrefix: `${keyPrefix}rl:${name}`, points, duration: durationSeconds }),
    async close() {
      caches.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Redis

/** Keys under `prefix`; any Redis trouble is a miss (get) or a dropped write (set, delete). */
class RedisCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  private get ready(): boolean {
    return this.redis.status === 'ready';
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.ready) return undefined;
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.onError(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (!this.ready) return;
    const ttl = options?.ttl;
    try {
      if (typeof ttl === 'number' && ttl > 0) await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttl)));
      else await this.redis.set(this.prefix + key, value);
    } catch (error) {
      this.onError(error);
    }
  }

  async delete(key: string): Promise<boolean | void> {
    if (!this.ready) return false;
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }
}

/**
 * Connects to Redis (waiting at most `connectTimeoutMs`; an unreachable Redis at start is an outage
 * like any other, not a reason to stay down) and keeps reconnecting for as long as the process runs.
 */
export async function redisSharedState(config: SharedStateConfig & { redisUrl: string }, logger: Logger): Promise<SharedState> {
  const log = logger.child({ component: 'shared-state' });
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: config.connectTimeoutMs,
    // Reconnect forever, backing off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // The only identifier sent with each connection; shows in CLIENT LIST.
    connectionName: 'ungegraf-gateway',
  });

  // One line when an outage starts, one when it ends; ioredis reports every failed reconnect.
  let down = false;
  let closing = false;
  const outage = (error: unknown) => {
    if (down || closing) return;
    down = true;
    log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Redis unavailable: caches miss and rate limits count per replica until it is back',
    );
  };
  redis.on('error', outage);
  redis.on('close', () => outage(new Error('connection closed')));
  redis.on('ready', () => {
    if (down) log.info('Redis available again');
    down = false;
  });

  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    redis.connect().catch((error: unknown) => outage(error)),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        outage(new Error(`no connection within ${config.connectTimeoutMs} ms`));
        resolve();
      }, config.connectTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!down) log.info({ keyPrefix: config.keyPrefix }, 'shared state in Redis');

  return {
    kind: 'redis',
    get available() {
      return redis.status === 'ready';
    },
    cache: (namespace) => new RedisCache(redis, config.keyPrefix + namespace, outage),
    rateLimiter({ name, points, durationSeconds }) {
      const keyPrefix = `${config.keyPrefix}rl:${name}`;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix,
        points,
        duration: durationSeconds,
        // Straight to the insurance limiter while disconnected, instead of a command bound to fail.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      });
    },
    async close() {
      closing = true;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** Redis when configured, memory otherwise. */
export async function openSharedState(config: SharedStateConfig, logger: Logger): Promise<SharedState> {
  if (config.redisUrl === undefined) return memorySharedState(config.keyPrefix);
  return redisSharedState({ ...config, redisUrl: config.redisUrl }, logger);
}
