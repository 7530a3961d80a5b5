import { describe, expect, it } from 'vitest';
import { formatGatewayError, GENERIC_MESSAGE, scrub } from '../../gateway/errors.js';

describe('scrub', () => {
  it('removes URLs and CPR-like numbers', () => {
    expect(scrub('GET http://10.0.0.1:4001/students?cpr=0102031234 failed for 010203-1234')).toBe('GET [url] failed for [redacted]');
    expect(scrub('see https://example.org/x, then 12345 and 2024-01-01')).toBe('see [url] then 12345 and 2024-01-01');
  });
});

describe('formatGatewayError', () => {
  it('keeps stable codes and scrubs their messages', () => {
    const out = formatGatewayError({
      message: 'No student 010203-1234 at https://school.internal/api',
      path: ['youth', 'school'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'NOT_FOUND', serviceName: 'school', stacktrace: ['Error: at x'], response: { url: 'http://x', body: 'secret' } },
    });
    expect(out).toEqual({
      message: 'No student [redacted] at [url]',
      path: ['youth', 'school'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'NOT_FOUND', service: 'school' },
    });
  });

  it.each(['UPSTREAM_UNAVAILABLE', 'BAD_USER_INPUT', 'CAPACITY_EXCEEDED', 'SUBGRAPH_UNAVAILABLE', 'UNAUTHORIZED_FIELD_OR_TYPE'])(
    'passes %s through',
    (code) => {
      expect(formatGatewayError({ message: 'm', extensions: { code } }).extensions?.['code']).toBe(code);
    },
  );

  it.each([undefined, 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR', 'weird code'])('hides internal errors (code %s)', (code) => {
    const out = formatGatewayError({
      message: 'connect ECONNREFUSED 10.0.0.1:4001 while loading 0102031234',
      extensions: { ...(code ? { code } : {}), serviceName: 'school', exception: { stacktrace: ['x'] }, detail: 'http://x' },
    });
    expect(out).toEqual({ message: GENERIC_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', service: 'school' } });
  });

  it('scrubs nested extension values of stable errors', () => {
    const out = formatGatewayError({
      message: 'bad',
      extensions: { code: 'BAD_USER_INPUT', field: { hint: 'id 010203-1234 via http://a/b' } },
    });
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', field: { hint: 'id [redacted] via [url]' } });
  });
});
