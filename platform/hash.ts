/**
 * SHA-256 in the two spellings the project uses: hex (persisted-operation ids, the access log's
 * operation hash, migration checksums, supergraph versions) and the strong ETag the browser frontends
 * answer with. One place, so an id computed by a script, the gateway and a test is the same id.
 */
import { createHash } from 'node:crypto';

/** SHA-256 of `data` (UTF-8 for text), lower-case hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A strong HTTP ETag for `body`: its SHA-256, base64url, cut to 27 characters (162 bits), quoted. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
