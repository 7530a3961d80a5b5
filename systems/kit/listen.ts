import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a built server. Idle keep-alive sockets are held 65 s, longer than any client pool keeps them
 * (a server that drops an idle socket first makes clients fail on a dead connection).
 */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<Listening> {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        // Calls still in flight get a moment to finish, then their sockets go too (not those of a
        // later listen on the same server: the timer ends with the close).
        const force = setTimeout(() => server.closeAllConnections(), 1000).unref();
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
