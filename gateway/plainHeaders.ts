/**
 * HTTP headers as a plain map of lower-cased names, for the gateway's subgraph calls (both ways).
 *
 * Why not the platform's `Headers`: WHATWG Headers validate and convert every name and value through
 * WebIDL on each call (`webidl.converters.ByteString`, `set`), and the gateway built two of them per
 * subgraph call (the request's, then the response's) only to read two or three entries: ~2-3% of the
 * gateway's CPU with nothing shared between requests. Names here come from our own code or from undici's
 * parsed response (already valid), so the checks bought nothing.
 */
import type { FetcherHeaders } from '@apollo/utils.fetcher';

export class PlainHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  /** From undici's raw response headers (names lower-cased already; repeated ones as arrays). */
  static fromRaw(raw: Record<string, string | string[] | undefined>): PlainHeaders {
    const headers = new PlainHeaders();
    for (const name of Object.keys(raw)) {
      const value = raw[name];
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    return headers;
  }

  /** From any iterable of name/value pairs (Apollo's node-fetch Headers, a HeaderMap, entries). */
  static from(entries: Iterable<[string, string]> | undefined): PlainHeaders {
    const headers = new PlainHeaders();
    if (entries) for (const [name, value] of entries) headers.append(name, value);
    return headers;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.map.get(key);
    // As Headers combines repeated fields (set-cookie aside, which subgraph answers do not need).
    this.map.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }

  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<string> {
    return this.map.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }

  /** A plain object of the entries, as undici's `request` takes them. */
  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [name, value] of this.map) record[name] = value;
    return record;
  }
}
