/**
 * The supergraph the gateway serves, and its hot reload from `SUPERGRAPH_PATH`.
 *
 * ApolloGateway gets a `SupergraphManager` (its `supergraphSdl` hook): the manager hands it the first
 * supergraph and keeps its `update` callback. The file is watched (fs.watch on its directory, which also
 * sees editors that replace the file and Kubernetes' ConfigMap symlink swap, plus a slow poll for file
 * systems where watching misses changes); a change is debounced and compared by content hash. A new
 * file is checked in full before anything switches:
 *   1. it parses, its field rules can be read (`readSupergraphRules`) and stripped;
 *   2. every subgraph in it has a URL (override or its own);
 *   3. a throw-away ApolloGateway loads it (the real one builds the same supergraph, API schema and query
 *      planner on `update`; `update` itself would throw only after part of the gateway had switched).
 * Only then `update(sdl)` switches the schema, synchronously, and the field rules switch with it: they
 * are bound to the API schema the gateway announces (`onSchemaLoadOrUpdate`), and every request looks
 * up the rules of the schema it was validated against. A request in flight finishes on the schema it
 * started with (Apollo Server keeps each request's schema); the query-plan cache is cleared by the gateway.
 * A file that does not pass leaves the old supergraph serving and is logged at error level with the reason.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ApolloGateway, type SupergraphManager, type SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { Kind, parse, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { readSupergraphRules, stripSecurityDirectives, type AccessRules } from '../platform/authorization/rules.js';
import { sha256Hex } from '../platform/hash.js';
import { supergraphLoadedAt, supergraphReloads } from '../platform/metrics.js';
import { envNameOf } from './config.js';

/** A supergraph file read, checked and made ready for ApolloGateway. */
export interface PreparedSupergraph {
  /** SHA-256 of the file's text. */
  hash: string;
  /** What ApolloGateway loads: the security directives stripped. */
  sdl: string;
  /** The field rules read before stripping. */
  rules: AccessRules;
  /** `join__graph` URLs by subgraph name, as the supergraph states them. */
  urls: Record<string, string>;
}

export interface PrepareOptions {
  /** Rewrites the composed supergraph before its rules are stripped (tests). */
  prepareSupergraph?: ((composed: string) => string) | undefined;
  /** The `join__graph` URLs of a stripped supergraph. */
  readUrls: (sdl: string) => Record<string, string>;
  /** Where subgraph `name` is called; undefined when nowhere. */
  resolveUrl: (name: string, supergraphUrl: string) => string | undefined;
}

/** Steps 1 and 2: parse, read and strip the rules, check every subgraph has a URL. Throws with the reason. */
export function prepareSupergraph(composed: string, options: PrepareOptions): PreparedSupergraph {
  if (composed.trim() === '') throw new Error('the file is empty');
  const source = options.prepareSupergraph ? options.prepareSupergraph(composed) : composed;
  const rules = readSupergraphRules(source);
  const sdl = stripSecurityDirectives(source);
  const urls = options.readUrls(sdl);
  const names = joinGraphNames(sdl);
  if (names.length === 0) throw new Error('no subgraph (join__Graph) in the supergraph');
  const missing = names.filter((name) => !options.resolveUrl(name, urls[name] ?? ''));
  if (missing.length > 0)
    throw new Error(`No URL for subgraph(s) ${missing.map((name) => `"${name}" (set SUBGRAPH_${envNameOf(name)}_URL)`).join(', ')}`);
  return { hash: sha256Hex(composed), sdl, rules, urls };
}

/** The subgraph names of a supergraph's `join__Graph` enum, with a URL or without. */
function joinGraphNames(sdl: string): string[] {
  const names: string[] = [];
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = value.directives
        ?.find((directive) => directive.name.value === 'join__graph')
        ?.arguments?.find((argument) => argument.name.value === 'name')?.value;
      names.push(name?.kind === Kind.STRING ? name.value : value.name.value.toLowerCase());
    }
  }
  return names;
}

/** Step 3: a throw-away ApolloGateway loads the supergraph (schema, API schema, query planner), then stops. */
export async function checkGatewayAccepts(sdl: string, logger: Logger): Promise<void> {
  const probe = new ApolloGateway({ supergraphSdl: sdl, logger: logger.child({ component: 'supergraph-check' }, { level: 'warn' }) });
  try {
    await probe.load();
  } finally {
    await probe.stop().catch(() => undefined);
  }
}

export interface SupergraphStatus {
  /** The supergraph being served (undefined until the gateway has loaded one). */
  loaded?: { hash: string; at: string; path?: string };
  /** The last file that was refused, while it is still the file on disk. */
  rejected?: { hash: string; at: string; reason: string };
}

export type ReloadOutcome = 'loaded' | 'unchanged' | 'rejected' | 'not-running';

export interface SupergraphSourceOptions {
  initial: PreparedSupergraph;
  logger: Logger;
  prepare: PrepareOptions;
  /** The file to watch; without it the supergraph never changes. */
  path?: string | undefined;
  /** Watch the file and poll it (`SUPERGRAPH_RELOAD`). */
  reload: boolean;
  /** Poll interval in ms (`SUPERGRAPH_POLL_MS`); 0 = watch only. */
  pollMs: number;
  /** Watch the file system (default true; tests turn it off to see the poll alone). */
  watch?: boolean;
  /** Quiet time after a file event before the file is read (an editor writes in several steps). */
  debounceMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 200;

/**
 * Owns the supergraph: the manager ApolloGateway is given, the rules of each loaded schema, the watch
 * and the poll. `check()` reads the file now (the watch and the poll call it; tests may too).
 */
export class SupergraphSource {
  private readonly logger: Logger;
  private current: PreparedSupergraph;
  /** The rules of each API schema the gateway has announced. */
  private readonly rulesBySchema = new WeakMap<GraphQLSchema, AccessRules>();
  private lastSchema: GraphQLSchema | undefined;
  private update: SupergraphSdlUpdateFunction | undefined;
  /** The hash of the file as last read, loaded or not: an unchanged bad file is reported once. */
  private lastSeenHash: string;
  private status: SupergraphStatus = {};
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SupergraphSourceOptions) {
    this.logger = options.logger.child({ component: 'supergraph' });
    this.current = options.initial;
    this.lastSeenHash = options.initial.hash;
  }

  /** For `new ApolloGateway({ supergraphSdl: source.manager })`. */
  readonly manager: SupergraphManager = {
    initialize: async ({ update }) => {
      this.update = update;
      this.status = { loaded: this.loadedNow(this.current.hash) };
      supergraphLoadedAt.setToCurrentTime();
      this.startWatching();
      return { supergraphSdl: this.current.sdl, cleanup: async () => this.stop() };
    },
  };

  /** Register with `gateway.onSchemaLoadOrUpdate`: binds the rules being loaded to the schema announced. */
  readonly onSchemaLoadOrUpdate = ({ apiSchema }: { apiSchema: GraphQLSchema }): void => {
    this.rulesBySchema.set(apiSchema, this.current.rules);
    this.lastSchema = apiSchema;
  };

  /** The rules of the supergraph `schema` was built from (the current ones for an unknown schema). */
  readonly rulesFor = (schema: GraphQLSchema): AccessRules => this.rulesBySchema.get(schema) ?? this.current.rules;

  /** The rules of the supergraph being served. */
  readonly currentRules = (): AccessRules => this.current.rules;

  get urls(): Readonly<Record<string, string>> {
    return this.current.urls;
  }

  get state(): SupergraphStatus {
    return this.status;
  }

  /** Reads the file and switches to it if it changed and passes every check. One check at a time. */
  check(): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.checkNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.poll);
    clearTimeout(this.debounce);
  }

  private loadedNow(hash: string): NonNullable<SupergraphStatus['loaded']> {
    return { hash, at: new Date().toISOString(), ...(this.options.path ? { path: this.options.path } : {}) };
  }

  private startWatching(): void {
    const { path, reload, pollMs } = this.options;
    if (!path || !reload || this.stopped) return;
    const file = basename(path);
    if (this.options.watch !== false) this.watchDirectory(path, file);
    if (pollMs > 0) {
      this.poll = setInterval(() => void this.check(), pollMs);
      this.poll.unref();
    }
    this.logger.info({ path, pollMs }, 'watching the supergraph file');
  }

  private watchDirectory(path: string, file: string): void {
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
        // `..data` is Kubernetes' ConfigMap symlink, swapped when the ConfigMap changes.
        if (name === null || name === file || name.startsWith('..')) this.schedule();
      });
      this.watcher.on('error', (error) => {
        this.logger.warn({ err: error, path }, 'cannot watch the supergraph file; polling only');
        this.watcher?.close();
      });
    } catch (error) {
      this.logger.warn({ err: error, path }, 'cannot watch the supergraph file; polling only');
    }
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.check(), this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.debounce.unref();
  }

  private async checkNow(): Promise<ReloadOutcome> {
    const { path } = this.options;
    if (!path || this.stopped) return 'not-running';
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      // A file being replaced may be missing for a moment; the next event or poll reads it again.
      return this.reject(
        `sha256:unreadable:${(error as NodeJS.ErrnoException).code ?? 'ERR'}`,
        `cannot read the file: ${(error as Error).message}`,
      );
    }
    const hash = sha256Hex(text);
    if (hash === this.lastSeenHash) return 'unchanged';
    this.lastSeenHash = hash;
    if (hash === this.current.hash) {
      // Back to the file being served (after a bad or missing one): nothing to switch.
      if (this.status.loaded) this.status = { loaded: this.status.loaded };
      return 'unchanged';
    }

    let next: PreparedSupergraph;
    try {
      next = prepareSupergraph(text, this.options.prepare);
      await checkGatewayAccepts(next.sdl, this.logger);
    } catch (error) {
      return this.reject(hash, error instanceof Error ? error.message : String(error));
    }
    if (this.stopped || !this.update) return 'not-running';

    const previous = this.current;
    const schemaBefore = this.lastSchema;
    this.current = next;
    try {
      // Synchronous: the gateway's schema and (through onSchemaLoadOrUpdate) the rules switch together.
      this.update(next.sdl);
    } catch (error) {
      this.current = previous;
      return this.reject(hash, `the gateway refused it: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Only the rules changed (the stripped supergraph is the same): the gateway announced no new schema.
    if (this.lastSchema === schemaBefore && schemaBefore) this.rulesBySchema.set(schemaBefore, next.rules);
    this.status = { loaded: this.loadedNow(hash) };
    supergraphReloads.inc({ outcome: 'loaded' });
    supergraphLoadedAt.setToCurrentTime();
    this.logger.info({ path, hash, previousHash: previous.hash, subgraphs: Object.keys(next.urls) }, 'supergraph reloaded');
    return 'loaded';
  }

  private reject(hash: string, reason: string): ReloadOutcome {
    if (hash === this.status.rejected?.hash) return 'rejected';
    this.lastSeenHash = hash;
    this.status = { ...this.status, rejected: { hash, at: new Date().toISOString(), reason } };
    supergraphReloads.inc({ outcome: 'rejected' });
    this.logger.error({ path: this.options.path, hash, reason }, 'supergraph rejected; the previous one keeps serving');
    return 'rejected';
  }
}
