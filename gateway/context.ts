import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import type { Identity } from '../platform/authentication/verifier.js';
import type { ClaimSet } from '../platform/authorization/answerVaries.js';

/** What the gateway knows of one incoming request; the subgraph calls carry parts of it (never the client's token). */
export interface GatewayContext extends BaseContext {
  /**
   * The client's `Authorization` header, as sent. Never forwarded: a subgraph gets the gateway's own
   * credential for the verified caller (gateway/subgraphDataSource.ts); here it keys operation coalescing
   * until the claims an operation's answer depends on are known (gateway/operationCoalescing.ts).
   */
  authorization?: string;
  /** The client's sane `x-request-id`, or a fresh UUID; echoed to the client and sent to subgraphs. */
  requestId: string;
  /** The verified caller; absent only where the gateway runs without access control (tests of plumbing). */
  identity?: Identity;
  /** The caller's role's default purpose, recorded when the request states none (`X-Purpose`). */
  defaultPurpose?: string;
  /** A granted break-the-glass access and its stated reason (gateway/breakTheGlass.ts). */
  breakTheGlass?: { reason: string };
  /** Need to know: the relation each young person of the answer was released under, as the coordination reported it. */
  relations?: Map<string, string>;
  /**
   * The caller's claims the subgraphs' answers to this request read, as they reported them
   * (platform/authorization/answerVaries.ts): what operation coalescing may share the answer by.
   */
  answerDependsOn?: ClaimSet;
}

/** The gateway's per-request context: the caller's credentials and the request id. */
export function gatewayContext(req: IncomingMessage, requestId: string): GatewayContext {
  const authorization = req.headers.authorization;
  return authorization ? { authorization, requestId } : { requestId };
}
