/** A counter's total over the label values given (all of them when none), read from its Prometheus registry. */
import type { Counter } from 'prom-client';

export async function counted<L extends string>(counter: Counter<L>, labels: Partial<Record<L, string>> = {}): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((value) => Object.entries(labels).every(([name, wanted]) => value.labels[name as L] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}
