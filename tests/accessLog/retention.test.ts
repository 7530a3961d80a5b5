import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../gateway/accessLog/config.js';
import { scheduleRetention } from '../../gateway/accessLog/retention.js';
import { ConfigError } from '../../platform/env.js';
import { logger } from './backends.js';

describe('loadAuditConfig', () => {
  it('has defaults that run locally', () => {
    expect(loadAuditConfig({})).toEqual({
      databaseUrl: undefined,
      dataDir: '.data/audit',
      schema: 'audit',
      retentionDays: 1825,
      writeTimeoutMs: 2000,
      readTimeoutMs: 2000,
      denialQueueMax: 10_000,
    });
  });

  it('reads every variable', () => {
    expect(
      loadAuditConfig({
        DATABASE_URL: 'postgresql://db/ungegraf',
        AUDIT_DATA_DIR: '/var/lib/ungegraf/audit',
        AUDIT_DB_SCHEMA: 'access_log_prod',
        ACCESS_LOG_RETENTION_DAYS: '3650',
        AUDIT_WRITE_TIMEOUT_MS: '500',
        AUDIT_READ_TIMEOUT_MS: '700',
        AUDIT_DENIAL_QUEUE_MAX: '50',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://db/ungegraf',
      dataDir: '/var/lib/ungegraf/audit',
      schema: 'access_log_prod',
      retentionDays: 3650,
      writeTimeoutMs: 500,
      readTimeoutMs: 700,
      denialQueueMax: 50,
    });
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadAuditConfig({ ACCESS_LOG_RETENTION_DAYS: '0' })).toThrow(/ACCESS_LOG_RETENTION_DAYS/);
    expect(() => loadAuditConfig({ ACCESS_LOG_RETENTION_DAYS: 'five years' })).toThrow(ConfigError);
    expect(() => loadAuditConfig({ AUDIT_WRITE_TIMEOUT_MS: '-1' })).toThrow(/AUDIT_WRITE_TIMEOUT_MS/);
    expect(() => loadAuditConfig({ AUDIT_DB_SCHEMA: 'Audit; DROP' })).toThrow(/AUDIT_DB_SCHEMA/);
  });
});

describe('scheduleRetention', () => {
  it('deletes at start and then on every tick, one run at a time', async () => {
    const calls: number[] = [];
    let release: (() => void) | undefined;
    const store = {
      deleteOlderThan: (days: number) => {
        calls.push(days);
        return new Promise<number>((resolve) => {
          release = () => resolve(3);
        });
      },
    };
    const schedule = scheduleRetention(store, 1825, logger, { intervalMs: 10 });
    try {
      expect(calls).toEqual([1825]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // ticks while the first run is under way
      expect(calls).toEqual([1825]);
      release?.();
      expect(await schedule.firstRun).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(calls.length).toBeGreaterThan(1);
    } finally {
      schedule.stop();
      release?.();
    }
  });

  it('logs a failed run and tries again later instead of throwing', async () => {
    let attempts = 0;
    const store = {
      deleteOlderThan: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database down');
        return 0;
      },
    };
    const schedule = scheduleRetention(store, 30, logger, { intervalMs: 10 });
    try {
      expect(await schedule.firstRun).toBeUndefined();
      expect(await schedule.runNow()).toBe(0);
    } finally {
      schedule.stop();
    }
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => scheduleRetention({ deleteOlderThan: async () => 0 }, 0, logger)).toThrow(RangeError);
  });
});
