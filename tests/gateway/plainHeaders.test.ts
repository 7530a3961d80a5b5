import { describe, expect, it } from 'vitest';
import { PlainHeaders } from '../../gateway/plainHeaders.js';

describe('PlainHeaders (subgraph call headers without WHATWG Headers)', () => {
  it('looks names up case-insensitively and combines repeated fields as Headers does', () => {
    const headers = PlainHeaders.fromRaw({ 'content-type': 'application/json', vary: ['accept', 'origin'], skipped: undefined });
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('vary')).toBe(
      new Headers([
        ['vary', 'accept'],
        ['vary', 'origin'],
      ]).get('vary'),
    );
    expect(headers.has('skipped')).toBe(false);
    expect(headers.get('absent')).toBeNull();
  });

  it('copies from any iterable of pairs, and set replaces while append adds', () => {
    const headers = PlainHeaders.from(new Headers({ Authorization: 'Bearer a', 'X-Request-Id': 'r1' }));
    headers.set('AUTHORIZATION', 'Bearer b');
    headers.append('accept', 'application/json');
    headers.delete('x-request-id');
    expect(headers.toRecord()).toEqual({ authorization: 'Bearer b', accept: 'application/json' });
    expect([...headers]).toEqual([...headers.entries()]);
    expect([...headers.keys()]).toEqual(['authorization', 'accept']);
  });
});
