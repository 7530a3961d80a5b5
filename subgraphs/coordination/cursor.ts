/**
 * Cursors of the `youths` list, sealed (issue 11, finding 2). A cursor marks a position: the last young
 * person of a page. Their ids are personal data the access log records at every read, so a cursor that
 * carried one readably (base64 of `y1:<id>`, as it once did) let ids leave unlogged, even of young people
 * picked out by a protected filter. A cursor now reveals nothing:
 *
 * - the position is encrypted and authenticated with AES-256-GCM under the coordination's cursor key
 *   (COORDINATION_CURSOR_KEY, config.ts; every replica has the same one, so any replica continues a list);
 * - a fresh random IV each time: the same position never gives the same cursor, so cursors cannot even be
 *   compared to tell whether two lists share a young person;
 * - the list it belongs to (a hash of its filter, its order and the caller's institution) is sealed in
 *   with the position: a cursor from another list is refused, it cannot carry a position across filters.
 *
 * Layout, base64url: version (1 byte, authenticated as AAD) | IV (12) | ciphertext | tag (16), the plaintext
 * being list hash (8 bytes) | young person's id. About 90 characters for the register's ids: fits a URL.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badUserInput } from '../kit/errors.js';

const VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const LIST_HASH_BYTES = 8;
export const CURSOR_KEY_BYTES = 32;
/** Longest cursor read at all: ids are short; anything longer is not ours. */
const MAX_CURSOR_CHARS = 400;

/** What a list is: the same filter, order and institution give the same list. */
export interface ListIdentity {
  /** The filter's conditions as given (absent and null conditions do not filter and do not count). */
  filter: Readonly<Record<string, unknown>>;
  /** The order of the list (today always the register's). */
  order: string;
  /** The partner institution the caller is bound to; null for municipal staff. */
  institution: string | null;
}

function notACursor(): Error {
  return badUserInput('after: not a cursor from this list (use pageInfo.endCursor of the page before)', 'after');
}

/** A stable hash of a list: keys sorted, null and absent conditions left out. */
export function listHash(list: ListIdentity): Buffer {
  const conditions = Object.keys(list.filter)
    .filter((key) => list.filter[key] !== null && list.filter[key] !== undefined)
    .sort()
    .map((key) => [key, list.filter[key]]);
  const canonical = JSON.stringify({ filter: conditions, order: list.order, institution: list.institution });
  return createHash('sha256').update(canonical).digest().subarray(0, LIST_HASH_BYTES);
}

export interface CursorSealer {
  /** The cursor of `youthId`'s position in `list`. */
  seal(youthId: string, list: ListIdentity): string;
  /** The position a cursor of `list` marks; BAD_USER_INPUT for anything else. */
  open(cursor: string, list: ListIdentity): string;
}

export function createCursorSealer(key: Buffer): CursorSealer {
  if (key.length !== CURSOR_KEY_BYTES) throw new Error(`the cursor key must be ${CURSOR_KEY_BYTES} bytes, got ${key.length}`);
  const aad = Buffer.from([VERSION]);
  return {
    seal(youthId, list) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const sealed = Buffer.concat([cipher.update(Buffer.concat([listHash(list), Buffer.from(youthId, 'utf8')])), cipher.final()]);
      return Buffer.concat([aad, iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    open(cursor, list) {
      if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw notACursor();
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length < 1 + IV_BYTES + LIST_HASH_BYTES + 1 + TAG_BYTES || bytes[0] !== VERSION) throw notACursor();
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        plain = Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      } catch {
        // Forged, altered, or sealed under another key (another deployment, a rotated key).
        throw notACursor();
      }
      if (!plain.subarray(0, LIST_HASH_BYTES).equals(listHash(list))) {
        throw badUserInput('after: this cursor belongs to a list with another filter; ask for the first page of this list again', 'after');
      }
      return plain.subarray(LIST_HASH_BYTES).toString('utf8');
    },
  };
}
