/**
 * The IDE's configuration (read by gateway/config.ts, parsed once with the rest):
 *
 * | variable          | default                                  | meaning                                      |
 * |-------------------|------------------------------------------|----------------------------------------------|
 * | IDE               | `on`, or `off` when NODE_ENV=production  | `on`: GraphiQL at `/ide/`; `off`: `/ide/` answers 404; `scoped`: served, and introspection only for tokens with `schema:read` |
 * | IDE_EXAMPLES_DIR  | operations/examples                      | the example operations shown as tabs (`*.graphql`, `<name>.variables.json`) |
 * | IDE_CACHE_DIR     | .data/ide                                | where the bundled page is kept, one folder per dependency versions |
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, readString } from '../../platform/env.js';

export const IDE_MODES = ['on', 'off', 'scoped'] as const;
export type IdeMode = (typeof IDE_MODES)[number];

export interface IdeConfig {
  mode: IdeMode;
  /** Absolute path of the example operations' folder. */
  examplesDir: string;
  /** Absolute path of the bundle cache. */
  cacheDir: string;
}

type Env = Record<string, string | undefined>;

function isIdeMode(value: string): value is IdeMode {
  return (IDE_MODES as readonly string[]).includes(value);
}

export function loadIdeConfig(env: Env, options: { production: boolean; repoRoot: string }): IdeConfig {
  const raw = readString(env, 'IDE', options.production ? 'off' : 'on').toLowerCase();
  if (!isIdeMode(raw)) throw new ConfigError(`IDE must be one of ${IDE_MODES.join(', ')}, got "${env['IDE']}"`);
  const path = (name: string, fallback: string) => {
    const value = readString(env, name, fallback);
    return isAbsolute(value) ? value : resolve(options.repoRoot, value);
  };
  return {
    mode: raw,
    examplesDir: path('IDE_EXAMPLES_DIR', 'operations/examples'),
    cacheDir: path('IDE_CACHE_DIR', '.data/ide'),
  };
}
