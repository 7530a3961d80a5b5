/**
 * platform/metrics.ts: bounded labels, the hooks other parts call (cache look-ups, breakers), and the
 * access log's queue and latency (gateway/metrics.ts).
 */
import { describe, expect, it } from 'vitest';
import { instrumentAccessLog } from '../../gateway/metrics.js';
import {
  codeLabel,
  MAX_OPERATION_NAMES,
  operationLabel,
  outcomeOf,
  recordCacheLookup,
  registerBreakerSource,
  registry,
} from '../../platform/metrics.js';

/** A series' value; `name_count` of a histogram reads its count. */
const value = async (name: string, labels: Record<string, string> = {}) => {
  const base = name.replace(/_count$/, '');
  const metric = await registry.getSingleMetric(base)?.get();
  return metric?.values.find(
    (v) =>
      (base === name || (v as { metricName?: string }).metricName === name) &&
      Object.entries(labels).every(([key, wanted]) => v.labels[key] === wanted),
  )?.value;
};

describe('bounded labels', () => {
  it('names unnamed operations anonymous, malformed ones other, and caps distinct names', () => {
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('')).toBe('anonymous');
    expect(operationLabel('Dossier')).toBe('Dossier');
    expect(operationLabel('not a name')).toBe('other');
    expect(operationLabel('x'.repeat(101))).toBe('other');
    for (let i = 0; i < MAX_OPERATION_NAMES + 50; i += 1) operationLabel(`Generated${i}`);
    expect(operationLabel('Dossier')).toBe('Dossier');
    expect(operationLabel('OneTooMany')).toBe('other');
  });

  it('keeps code-shaped error codes and folds the rest into INTERNAL_SERVER_ERROR', () => {
    expect(codeLabel('UPSTREAM_UNAVAILABLE')).toBe('UPSTREAM_UNAVAILABLE');
    expect(codeLabel(undefined)).toBe('INTERNAL_SERVER_ERROR');
    expect(codeLabel('lower')).toBe('INTERNAL_SERVER_ERROR');
    expect(codeLabel(42)).toBe('INTERNAL_SERVER_ERROR');
  });

  it('calls an answer ok, partial or error', () => {
    expect(outcomeOf({ data: { a: 1 } })).toBe('ok');
    expect(outcomeOf({ data: { a: null }, errors: [{}] })).toBe('partial');
    expect(outcomeOf({ data: null, errors: [{}] })).toBe('error');
    expect(outcomeOf({ errors: [{}] })).toBe('error');
    expect(outcomeOf({ data: { a: 1 } }, 503)).toBe('error');
  });
});

describe('hooks for the other parts', () => {
  it('counts cache look-ups by cache and result', async () => {
    recordCacheLookup('persisted_operation', true);
    recordCacheLookup('persisted_operation', true);
    recordCacheLookup('persisted_operation', false);
    expect(await value('ungegraf_cache_lookups_total', { cache: 'persisted_operation', result: 'hit' })).toBe(2);
    expect(await value('ungegraf_cache_lookups_total', { cache: 'persisted_operation', result: 'miss' })).toBe(1);
  });

  it('reads registered breakers when scraped, 0 closed, 1 half-open, 2 open, and forgets unregistered ones', async () => {
    const states: Record<string, 'closed' | 'half-open' | 'open'> = { school: 'closed' };
    const unregister = registerBreakerSource('metrics-test', () => states);
    expect(await value('ungegraf_breaker_state', { part: 'metrics-test', breaker: 'school' })).toBe(0);
    states.school = 'half-open';
    expect(await value('ungegraf_breaker_state', { part: 'metrics-test', breaker: 'school' })).toBe(1);
    states.school = 'open';
    expect(await value('ungegraf_breaker_state', { part: 'metrics-test', breaker: 'school' })).toBe(2);
    unregister();
    expect(await value('ungegraf_breaker_state', { part: 'metrics-test', breaker: 'school' })).toBeUndefined();
  });
});

describe('the access log’s writes', () => {
  it('are counted in flight while they wait, and timed by outcome', async () => {
    let release: () => void = () => undefined;
    let fail = false;
    const writer = instrumentAccessLog({
      record: () =>
        new Promise<void>((resolve, reject) => {
          release = () => (fail ? reject(new Error('database down')) : resolve());
        }),
    });
    const entry = { subject: 's', youthId: 'y', outcome: 'ALLOWED' } as never;
    const pending = writer.record([entry]);
    expect(await value('ungegraf_access_log_writes_in_flight')).toBe(1);
    release();
    await pending;
    expect(await value('ungegraf_access_log_writes_in_flight')).toBe(0);

    fail = true;
    const failing = writer.record([entry]);
    release();
    await expect(failing).rejects.toThrow('database down');
    expect(await value('ungegraf_access_log_writes_in_flight')).toBe(0);
    expect(await value('ungegraf_access_log_write_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(await value('ungegraf_access_log_write_duration_seconds_count', { outcome: 'error' })).toBe(1);
  });
});
