import DataLoader from 'dataloader';
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
export function singleLoader<K extends string, V>(
  fetchOne: (key: K) => Promise<V | null>,
  concurrency: number,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const limit = pLimit(concurrency);
    const settled = await Promise.allSettled(keys.map((key) => limit(() => fetchOne(key))));
    return settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error)));
  });
}
