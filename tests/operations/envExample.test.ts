/**
 * .env.example against the configuration code (scripts/envExample.ts): the committed file is what the
 * loaders read, with their defaults; every variable a config reader names is reached by a loader; and
 * the collection really follows the readers (a setting read is listed with its default).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBool, readInt, readOptionalString, settingsReadBy } from '../../platform/env.js';
import { collectSettings, ENV_EXAMPLE_FILE, renderEnvExample, unreachedSettings } from '../../scripts/envExample.js';
import { REPO_ROOT } from '../../scripts/deploy-manifests.js';

describe('.env.example', () => {
  const settings = collectSettings();

  it('is the one the configuration code generates (npm run env:example)', () => {
    expect(readFileSync(join(REPO_ROOT, ENV_EXAMPLE_FILE), 'utf8')).toBe(renderEnvExample(settings));
  });

  it('lists every variable a config reader names, with the defaults the code falls back to', () => {
    expect(unreachedSettings(settings)).toEqual([]);
    const byName = new Map(settings.map((setting) => [setting.name, setting.fallback]));
    expect(byName.get('GATEWAY_PORT')).toBe('4000');
    expect(byName.get('GUIDANCE_TIMEOUT_MS')).toBe('3000');
    expect(byName.get('OTEL_SDK_DISABLED')).toBe('false');
    expect(byName.has('DATABASE_URL')).toBe(true);
    expect(byName.get('DATABASE_URL')).toBeUndefined();
    // The deprecated tracing switch is no setting of its own.
    expect(byName.has('OTEL_ENABLED')).toBe(false);
  });

  it('follows the readers: what a loader reads is collected with its default, whatever the environment holds', () => {
    const reads = settingsReadBy(() => [
      readInt({ NEW_LIMIT: '7' }, 'NEW_LIMIT', 5),
      readBool({}, 'NEW_SWITCH', true),
      readOptionalString({}, 'NEW_URL'),
    ]);
    expect(reads).toEqual([
      { name: 'NEW_LIMIT', fallback: '5' },
      { name: 'NEW_SWITCH', fallback: 'true' },
      { name: 'NEW_URL', fallback: undefined },
    ]);
    // Outside a collection the readers note nothing.
    expect(settingsReadBy(() => undefined)).toEqual([]);
  });
});
