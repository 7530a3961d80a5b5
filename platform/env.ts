/**
 * Typed readers for environment variables. Configuration is parsed once per process (each part's
 * `config.ts`); a bad value stops the process with a message that names the variable and what it wanted.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** A setting one of the readers below looked at, with what it falls back to (undefined: unset is a state of its own). */
export interface SettingRead {
  name: string;
  fallback: string | undefined;
}

let onRead: ((read: SettingRead) => void) | undefined;

/**
 * Runs `load` (config loaders) and answers the settings the readers looked at, with their defaults:
 * how .env.example is generated from the code that really reads them (scripts/envExample.ts).
 */
export function settingsReadBy(load: () => unknown): SettingRead[] {
  const reads: SettingRead[] = [];
  const outer = onRead;
  onRead = (read) => reads.push(read);
  try {
    load();
  } finally {
    onRead = outer;
  }
  return reads;
}

function note(name: string, fallback: string | number | boolean | undefined): void {
  onRead?.({ name, fallback: fallback === undefined ? undefined : String(fallback) });
}

export function readString(env: Env, name: string, fallback: string): string {
  note(name, fallback);
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  note(name, undefined);
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

export function readInt(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  note(name, fallback);
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function readNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  note(name, fallback);
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  note(name, fallback);
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function readUrl(env: Env, name: string, fallback: string): string {
  const raw = readString(env, name, fallback);
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}"`);
  }
}
