/**
 * Automatic persisted queries from the gateway to its subgraphs: a subgraph operation's text goes once,
 * then only its sha256 hash.
 *
 * Why: the planner's subgraph operations are long and the same for every request of a plan. Sent whole,
 * every subgraph call paid for them three times: the gateway's JSON and socket write, the subgraph's body
 * parse, and Apollo Server's sha256 of the text (`computeQueryHash`, 2.5% of the subgraphs' CPU in the
 * dossier load, issue 16). With the hash alone Apollo Server takes the text from its APQ cache, whose key
 * is the hash it would have computed, and skips the hash.
 *
 * The protocol is Apollo's APQ (`extensions.persistedQuery`), which every Apollo subgraph serves by
 * default: the first call of a text to a subgraph carries text and hash (the subgraph checks that they
 * match and keeps it); later calls the hash alone. A subgraph that has forgotten it (restarted, or its
 * cache evicted it) answers PERSISTED_QUERY_NOT_FOUND and the call is sent again with the text. One that
 * does not serve APQ (PERSISTED_QUERY_NOT_SUPPORTED, or a hash alone refused: HTTP 400 or a request error,
 * as a server that ignores the extension gives) gets plain calls from then on. A call is sent again only
 * when its answer shows that nothing ran. The client never sees either answer.
 */
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../platform/errorCodes.js';
import { sha256Hex } from '../platform/hash.js';

/** Texts whose hash is kept, by size: a supergraph's plans are a few hundred texts of a few KiB. */
const HASHED_BYTES = 4 * 1024 * 1024;

/** What the gateway's APQ state says to do with the next call of a text to one subgraph. */
export type PersistedCall = { query: string | undefined; hash: string | undefined };

/** What a subgraph's answer said about a hash-only call. */
export type PersistedAnswer = 'ok' | 'not-found' | 'not-supported';

export class SubgraphPersistedQueries {
  /** The texts this subgraph has answered (so it holds them): the next call sends their hash alone. */
  private readonly known: LRUCache<string, string>;
  private supported = true;

  constructor() {
    this.known = new LRUCache({ maxSize: HASHED_BYTES, sizeCalculation: (_hash, text) => text.length + 64 });
  }

  /** The query and hash to send for `text`: the hash alone once the subgraph holds the text. */
  callFor(text: string): PersistedCall {
    if (!this.supported) return { query: text, hash: undefined };
    const hash = this.known.get(text);
    return hash === undefined ? { query: text, hash: hashOf(text) } : { query: undefined, hash };
  }

  /**
   * Learns from the subgraph's answer to `call`. Returns whether the call must be sent again: with the
   * text after `not-found` for a hash-only call, without the extension after `not-supported`. At most
   * twice in a row (hash alone, then text and hash, then plain), never for a plain call.
   */
  answered(text: string, call: PersistedCall, answer: PersistedAnswer): boolean {
    if (answer === 'not-supported') {
      this.supported = false;
      this.known.clear();
      return call.hash !== undefined;
    }
    if (answer === 'not-found') {
      this.known.delete(text);
      return call.query === undefined;
    }
    if (call.hash !== undefined) this.known.set(text, call.hash);
    return false;
  }
}

/** Hashes are computed once per text for all subgraphs (the merged texts of fetchBatching included). */
const hashes = new LRUCache<string, string>({ maxSize: HASHED_BYTES, sizeCalculation: (_hash, text) => text.length + 64 });

function hashOf(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = sha256Hex(text);
    hashes.set(text, hash);
  }
  return hash;
}

/**
 * What a subgraph's JSON answer to `call` says about persisted queries. NOT_SUPPORTED (Apollo with APQ
 * off refuses the extension, text or not); for the hash alone: NOT_FOUND, or any answer without `data`
 * (a request error: the operation did not run, so sending it again runs it once), which a server that
 * wants the text gives.
 */
export function persistedAnswerOf(call: PersistedCall, answer: { data?: unknown; errors?: unknown }): PersistedAnswer {
  const code = onlyErrorCode(answer);
  if (code === ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED) return 'not-supported';
  if (call.query !== undefined) return 'ok';
  if (code === ErrorCode.PERSISTED_QUERY_NOT_FOUND) return 'not-found';
  return 'data' in answer ? 'ok' : 'not-supported';
}

/** The code of an answer's only error when it has no data; else undefined. */
function onlyErrorCode(answer: { data?: unknown; errors?: unknown }): unknown {
  if (answer.data !== undefined && answer.data !== null) return undefined;
  const errors = answer.errors;
  if (!Array.isArray(errors) || errors.length !== 1) return undefined;
  return (errors[0] as { extensions?: { code?: unknown } } | null)?.extensions?.code;
}
