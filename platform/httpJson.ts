/**
 * A JSON answer on a plain node:http response: the body serialised once, its byte length stated (so
 * keep-alive connections need no chunking), the content type fixed. Every process's plain routes
 * (health, the access-log API, `/graphql` refusals, the simulated systems) answer through this.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
