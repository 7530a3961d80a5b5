import type { BaseContext } from '@apollo/server';

/** What the gateway knows of one incoming request; the subgraph calls forward it. */
export interface GatewayContext extends BaseContext {
  /** The client's `Authorization` header, as sent, forwarded to every subgraph. */
  authorization?: string;
  /** The client's sane `x-request-id`, or a fresh UUID; echoed to the client and sent to subgraphs. */
  requestId: string;
}
