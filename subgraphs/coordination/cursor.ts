import { badUserInput } from '../kit/errors.js';

/** Cursors are opaque to clients: base64url of a versioned position in the register's order. */
const PREFIX = 'y1:';

export function encodeCursor(youthId: string): string {
  return Buffer.from(PREFIX + youthId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(PREFIX) || text.length === PREFIX.length) {
    throw badUserInput('after: not a cursor from this list (use pageInfo.endCursor)', 'after');
  }
  return text.slice(PREFIX.length);
}
