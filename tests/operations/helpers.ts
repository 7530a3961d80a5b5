/**
 * What the operations suites share: supergraph variants over the gateway's fixture subgraphs, a logger
 * whose lines a test can read, and a bounded load loop on loopback.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { composeSupergraph } from '../../schema/compose.js';
import { fixtureEntry } from '../gateway/fixtures/subgraphs.js';

const GRADES_V1 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Person @key(fields: "id") {
  id: ID!
  grade: Int
}
`;

/** v2 adds a field the fixture `grades` subgraph already serves. */
const GRADES_V2 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Person @key(fields: "id") {
  id: ID!
  grade: Int
  seenHeaders: SeenHeaders
}

type SeenHeaders {
  authorization: String
  requestId: String
}
`;

/** v3 is v2 with a field rule on `grade`: the stripped supergraph is the same, only the rules differ. */
const GRADES_V3 = GRADES_V2.replace('import: ["@key"]', 'import: ["@key", "@requiresScopes"]').replace(
  'grade: Int',
  'grade: Int @requiresScopes(scopes: [["grades:read"]])',
);

export type SupergraphVersion = 'v1' | 'v2' | 'v3';

/** The composed supergraph of `people` and a version of `grades` (schemas written into `dir`). */
export function fixtureSupergraph(dir: string, version: SupergraphVersion): string {
  const grades = join(dir, `grades-${version}.graphql`);
  writeFileSync(grades, { v1: GRADES_V1, v2: GRADES_V2, v3: GRADES_V3 }[version]);
  return composeSupergraph([fixtureEntry('people'), { ...fixtureEntry('grades'), schemaPath: grades }]).supergraphSdl;
}

/** Parseable, composed-looking, but a security feature the gateway cannot enforce: ApolloGateway refuses it. */
export function refusedByGateway(supergraph: string): string {
  return supergraph.replace(
    /(schema\s*\n?\s*@link\(url: "https:\/\/specs\.apollo\.dev\/link\/v1\.0"\))/,
    '$1\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
  );
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines the test reads (`lines`), with the request-id mixin of platform/logger.ts. */
export function captureLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  ok: boolean;
  status?: number;
  error?: string;
}

/**
 * `concurrency` workers send requests one after another until `stop()` is called or `maxRequests`
 * have been sent: bounded in count, and in time by the caller's scenario. Every result is kept.
 */
export function loadLoop(
  send: () => Promise<{ ok: boolean; status?: number; error?: string }>,
  options: { concurrency: number; maxRequests: number },
) {
  const results: LoadResult[] = [];
  let stopped = false;
  let sent = 0;
  const worker = async () => {
    while (!stopped && sent < options.maxRequests) {
      sent += 1;
      const startedAt = performance.now();
      const outcome = await send().catch((error: unknown) => ({
        ok: false,
        error: error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}` : String(error),
      }));
      results.push({ startedAt, endedAt: performance.now(), ...outcome });
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    results,
    async stop(): Promise<LoadResult[]> {
      stopped = true;
      await done;
      return results;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms for at most `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
