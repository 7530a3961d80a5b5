import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createLogger } from '../../platform/logger.js';
import { ConfigError } from '../../platform/env.js';
import { loadSharedStateConfig, MemoryCache, memorySharedState, openSharedState, type SharedState } from '../../platform/sharedState.js';
import { HAS_REDIS_SERVER, REDIS_URL, TestRedis } from './redisServer.js';

const logger = createLogger('shared-state-test');
const prefix = () => `ungegraf:test:state-${process.pid}-${Math.random().toString(36).slice(2, 8)}:`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('configuration', () => {
  it('defaults to memory and the ungegraf: prefix', () => {
    expect(loadSharedStateConfig({})).toEqual({
      redisUrl: undefined,
      keyPrefix: 'ungegraf:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 2000,
    });
  });

  it('refuses a URL that is not Redis, without echoing a password', () => {
    expect(() => loadSharedStateConfig({ REDIS_URL: 'http://example.org' })).toThrow(ConfigError);
    expect(() => loadSharedStateConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
    expect(() => loadSharedStateConfig({ REDIS_KEY_PREFIX: 'with space' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(loadSharedStateConfig({ REDIS_URL: 'rediss://:secret@redis.svc:6380/2' }).redisUrl).toBe('rediss://:secret@redis.svc:6380/2');
  });
});

describe('memory', () => {
  it('caches with a TTL and drops the least recently used beyond its bound', async () => {
    const cache = new MemoryCache(2);
    await cache.set('a', '1', { ttl: 0.05 });
    await cache.set('b', '2');
    expect(await cache.get('a')).toBe('1');
    await cache.set('c', '3'); // b is the least recently used now
    expect(await cache.get('b')).toBeUndefined();
    await sleep(60);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('c')).toBe('3');
    expect(await cache.delete('c')).toBe(true);
  });

  it('rate-limits in the process', async () => {
    const state = memorySharedState();
    const limiter = state.rateLimiter({ name: 'm', points: 3, durationSeconds: 60 });
    await limiter.consume('k', 3);
    await expect(limiter.consume('k', 1)).rejects.toBeInstanceOf(RateLimiterRes);
    await state.close();
  });
});

describe.skipIf(!REDIS_URL)('Redis (REDIS_URL)', () => {
  let a: SharedState;
  let b: SharedState;
  const keyPrefix = prefix();
  beforeAll(async () => {
    const config = { ...loadSharedStateConfig({ REDIS_URL }), keyPrefix };
    a = await openSharedState(config, logger);
    b = await openSharedState(config, logger);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('shares cache entries and counters between two connections, under the prefix', async () => {
    expect(a.kind).toBe('redis');
    await a.cache('apq:').set('h1', 'query { a }', { ttl: 30 });
    expect(await b.cache('apq:').get('h1')).toBe('query { a }');
    expect(await b.cache('other:').get('h1')).toBeUndefined();
    expect(await b.cache('apq:').delete('h1')).toBe(true);
    expect(await a.cache('apq:').get('h1')).toBeUndefined();

    const onA = a.rateLimiter({ name: 'shared', points: 4, durationSeconds: 60 });
    const onB = b.rateLimiter({ name: 'shared', points: 4, durationSeconds: 60 });
    await onA.consume('subject', 4);
    const refused = await onB.consume('subject', 1).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
  });
});

describe.skipIf(!REDIS_URL || !HAS_REDIS_SERVER)('Redis going away and coming back', () => {
  let redis: TestRedis;
  let state: SharedState;
  beforeAll(async () => {
    redis = await TestRedis.start();
    state = await openSharedState(
      { ...loadSharedStateConfig({ REDIS_URL: redis.url }), keyPrefix: prefix(), commandTimeoutMs: 200 },
      logger,
    );
  });
  afterAll(async () => {
    await state?.close();
    await redis?.kill();
  });

  it('misses and counts in memory while it is down, and shares again once it is back', async () => {
    const cache = state.cache('c:');
    const limiter = state.rateLimiter({ name: 'outage', points: 3, durationSeconds: 60 });
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    await limiter.consume('s', 1);

    await redis.kill();
    await sleep(100);
    expect(state.available).toBe(false);
    const started = performance.now();
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'v2'); // dropped, not thrown
    // The insurance limiter counts from zero in this process, with the same budget.
    await limiter.consume('s', 3);
    await expect(limiter.consume('s', 1)).rejects.toBeInstanceOf(RateLimiterRes);
    expect(performance.now() - started).toBeLessThan(1000);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    while (!state.available && Date.now() < deadline) await sleep(50);
    expect(state.available).toBe(true);
    // A Redis without persistence comes back empty: a miss, then it caches again.
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'v3');
    expect(await cache.get('k')).toBe('v3');
    await limiter.consume('s', 3);
    await expect(limiter.consume('s', 1)).rejects.toBeInstanceOf(RateLimiterRes);
  });
});
