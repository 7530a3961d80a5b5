import type http from 'node:http';
import { createSystemAxios } from '../systemHttp.js';

/**
 * Reading an existing system's change feed (systems/README.md, "Change feeds"): a page of the events
 * after a position, waiting up to some seconds for the next one (long-poll). Each system's client
 * (schoolClient.ts, ...) says where its feed is and how its fields are named; this is the shared part.
 *
 * A reader has its own connection, not the system client's pool: a long-poll holds its socket for up to
 * the wait, which must not take a slot from the look-ups the graph's requests make, and must not trip
 * the look-ups' timeout. It has no retries or breaker either: the follower (coordination/screening/
 * changeFeed.ts) retries by reading again, and a feed that cannot be read for long is rebuilt around.
 */
export interface FeedEvent {
  sequence: number;
  cpr: string;
  /** ISO date-time of the change in the system. */
  at: string;
  /** The system's word for the kind of record. */
  kind: string;
  /** UU's own key (the guidance feed): the register's youthId, so a young person UU no longer holds can be removed. */
  youthId?: string;
}

export type FeedAnswer =
  | { gone: false; events: FeedEvent[]; head: number; stream: string }
  /** The position is no longer in the feed (too old, or from an earlier stream): the reader must rebuild. */
  | { gone: true; head: number | null; stream: string | null };

/** The feed could not be read (down, refused, timed out, or an answer that is not a feed). Never names the address. */
export class ChangeFeedUnavailable extends Error {
  constructor(
    readonly system: string,
    readonly reason: string,
  ) {
    super(`the ${system} change feed could not be read: ${reason}`);
    this.name = 'ChangeFeedUnavailable';
  }
}

export interface ChangeFeedReader {
  system: string;
  /** Up to `limit` events after `after` (null: from the oldest kept; limit 0: only the head), waiting up to `waitSeconds`. */
  read(after: number | null, limit: number, waitSeconds: number, signal?: AbortSignal): Promise<FeedAnswer>;
  close(): Promise<void>;
}

export interface FeedWireFormat<Body> {
  path: string;
  query: { after: string; limit: string; wait: string };
  /** The page as the system sends it, in the graph's words; throws on a body that is not one. */
  page(body: Body): { events: FeedEvent[]; head: number; stream: string };
  /** What a 410 tells (the head and stream now), as far as it tells it. */
  gone(body: Partial<Body> & Record<string, unknown>): { head: number | null; stream: string | null };
}

export interface FeedConnection {
  service: string;
  baseURL: string;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
  /** The system's own answer time; a long-poll's wait comes on top. */
  timeoutMs: number;
}

/** The longest wait a feed grants (systems/kit/changeFeed.ts FEED_WAIT_MAX_S). */
export const FEED_WAIT_MAX_SECONDS = 30;

export function createChangeFeedReader<Body>(connection: FeedConnection, format: FeedWireFormat<Body>): ChangeFeedReader {
  const client = createSystemAxios({
    baseURL: connection.baseURL,
    headers: connection.headers,
    auth: connection.auth,
    timeoutMs: connection.timeoutMs + FEED_WAIT_MAX_SECONDS * 1000,
    maxSockets: 1,
  });
  const unavailable = (reason: string) => new ChangeFeedUnavailable(connection.service, reason);
  return {
    system: connection.service,
    async read(after, limit, waitSeconds, signal) {
      const wait = Math.max(0, Math.min(FEED_WAIT_MAX_SECONDS, Math.floor(waitSeconds)));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), connection.timeoutMs + wait * 1000);
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let status: number;
      let text: string;
      try {
        const response = await client.request<string>({
          method: 'GET',
          url: format.path,
          params: { ...(after === null ? {} : { [format.query.after]: after }), [format.query.limit]: limit, [format.query.wait]: wait },
          signal: controller.signal,
        });
        status = response.status;
        text = response.data;
      } catch (error) {
        // Only the code: the axios error names the address, its config holds the credential.
        const code = (error as { code?: unknown }).code;
        throw unavailable(
          signal?.aborted ? 'stopped' : controller.signal.aborted ? 'timeout' : typeof code === 'string' ? code : 'network',
        );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw unavailable(`HTTP ${status} with a body that is not JSON`);
      }
      if (status === 410) return { gone: true, ...format.gone((body ?? {}) as Partial<Body> & Record<string, unknown>) };
      if (status !== 200) throw unavailable(`HTTP ${status}`);
      try {
        return { gone: false, ...format.page(body as Body) };
      } catch (error) {
        throw unavailable(`not a feed page (${error instanceof Error ? error.message : 'unreadable'})`);
      }
    },
    close: async () => {
      (client.defaults.httpAgent as http.Agent | undefined)?.destroy();
    },
  };
}

/** A whole number from a feed's body, or a clear error (the page is not read at all). */
export function sequenceOf(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${field} is not a sequence number`);
  return value;
}

export function textOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${field} is missing`);
  return value;
}

/** The head and stream a 410 answer names, where it names them. */
export function goneFields(body: Record<string, unknown>, head: string, stream: string): { head: number | null; stream: string | null } {
  const value = body[head];
  const name = body[stream];
  return {
    head: typeof value === 'number' && Number.isSafeInteger(value) ? value : null,
    stream: typeof name === 'string' ? name : null,
  };
}
