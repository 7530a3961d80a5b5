import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';

/**
 * DataLoaders for existing systems. They live one per request (in the subgraph context), so a cache
 * never outlives a caller's permissions; `__resolveReference` always goes through them.
 */

/** For systems with a batch look-up: one upstream call per `maxBatchSize` keys, answers in key order. */
export function batchLoader<K extends string, V>(
  fetchBatch: (keys: readonly K[]) => Promise<Map<K, V>>,
  maxBatchSize: number,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const found = await fetchBatch(keys);
      return keys.map((key) => found.get(key) ?? null);
    },
    { maxBatchSize },
  );
}

/**
 * For systems that answer one record per call: all keys of a tick are fetched with at most
 * `concurrency` calls in flight; a failure fails only its own key.
 */
export function singleLoader<K extends string, V>(fetchOne: (key: K) => Promise<V | null>, concurrency: number): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const limit = pLimit(concurrency);
    const settled = await Promise.allSettled(keys.map((key) => limit(() => fetchOne(key))));
    return settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error)));
  });
}

/** A batch answers a failed key with its error (DataLoader's way): whatever was thrown, as an Error. */
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export interface SharedBatchLoader<K, V> {
  /** A request's own loader: deduplicates within the request, asks the shared batch for the rest. */
  forRequest(): DataLoader<K, V>;
}

/**
 * Merges the look-ups of concurrent requests into one call to the source: under load, one SQL query
 * for every request of an event-loop turn instead of one per request (profiled: the coordination's
 * PostgreSQL round trips were ~10% of the subgraphs' CPU in the dossier load, mostly the socket writes).
 *
 * Nothing is cached across requests: every load reaches the source after it was asked for, so a
 * request sees every write committed before its load. Only for look-ups whose answer does not depend
 * on the caller (what a caller may see is decided by the field rules, not by these queries).
 * `checkKey` throws for a key the source would refuse: that key fails alone, never the batch it would
 * have shared with other requests.
 */
export function sharedBatchLoader<K, V>(
  fetchBatch: (keys: readonly K[]) => Promise<readonly V[]>,
  options: { maxBatchSize: number; checkKey: (key: K) => void },
): SharedBatchLoader<K, V> {
  const shared = new DataLoader<K, V>(fetchBatch, {
    cache: false,
    maxBatchSize: options.maxBatchSize,
    // The end of the event-loop turn (after the poll phase has handed over every request that arrived),
    // not the end of this request's tick: that is what lets requests share a batch.
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });
  return {
    forRequest: () =>
      new DataLoader<K, V>(async (keys) =>
        Promise.all(
          keys.map(async (key) => {
            try {
              options.checkKey(key);
            } catch (error) {
              return asError(error);
            }
            return shared.load(key).catch(asError);
          }),
        ),
      ),
  };
}

/**
 * For data no client's mutation writes (the screening register): what one client request loaded is
 * kept for its later calls to this subgraph (the same `requestKey`: the gateway's request id and the
 * caller's credential), so a dossier's plan reads a row once, not in each of its calls. One cache for
 * all client requests, bounded by rows (`maxRows`, each kept `ttlMs`), so its memory is fixed whatever a
 * list loads: the first version kept a whole loader per client request and ran a 256 MiB heap out at
 * national scale. A failure or a missing row is not kept.
 */
export function keptPerClientRequest<K extends string, V extends object>(
  source: SharedBatchLoader<K, V | null>,
  options: { maxRows: number; ttlMs: number },
): (requestKey: string) => DataLoader<K, V | null> {
  const kept = new LRUCache<string, V>({ max: options.maxRows, ttl: options.ttlMs });
  return (requestKey) => {
    const load = source.forRequest();
    return new DataLoader<K, V | null>(async (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const cacheKey = `${requestKey}\n${key}`;
          const hit = kept.get(cacheKey);
          if (hit) return hit;
          try {
            const value = await load.load(key);
            if (value) kept.set(cacheKey, value);
            return value;
          } catch (error) {
            return asError(error);
          }
        }),
      ),
    );
  };
}
