import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';

/** What the gateway knows of one incoming request; the subgraph calls forward it. */
export interface GatewayContext extends BaseContext {
  /** The client's `Authorization` header, as sent, forwarded to every subgraph. */
  authorization?: string;
  /** The client's sane `x-request-id`, or a fresh UUID; echoed to the client and sent to subgraphs. */
  requestId: string;
}

/** The gateway's per-request context: the caller's credentials and the request id. */
export function gatewayContext(req: IncomingMessage, requestId: string): GatewayContext {
  const authorization = req.headers.authorization;
  return authorization ? { authorization, requestId } : { requestId };
}
