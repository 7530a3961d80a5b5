/**
 * Readiness: `/healthz` answers 200 `{"status":"ok"}` only while the service can serve (the gateway: a
 * supergraph loaded; a subgraph: started) and is not shutting down, 503 otherwise, so a load balancer
 * sends traffic only where it can be served.
 */
import type { ServerResponse } from 'node:http';

export type HealthState = 'starting' | 'ok' | 'stopping';

export class Health {
  private current: HealthState = 'starting';

  get state(): HealthState {
    return this.current;
  }

  get ready(): boolean {
    return this.current === 'ok';
  }

  /** Ready to serve (the gateway: its supergraph is loaded; a subgraph: Apollo Server started). */
  markReady(): void {
    if (this.current === 'starting') this.current = 'ok';
  }

  markStopping(): void {
    this.current = 'stopping';
  }

  respond(res: ServerResponse): void {
    const body = JSON.stringify({ status: this.current });
    res.writeHead(this.ready ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}
