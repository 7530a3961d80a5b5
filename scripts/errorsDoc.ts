/**
 * docs/errors.md from the registry (platform/errorCodes.ts): the prose says how to read an error, the
 * table is the registry itself, so the page cannot drift from the code (scripts/errors-doc.ts writes and
 * checks it; tests/platform/errorCodes.test.ts checks it too).
 */
import { ERROR_CODES, type ErrorCode, type ErrorCodeInfo } from '../platform/errorCodes.js';

export const ERRORS_DOC_FILE = 'docs/errors.md';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function statusOf(info: ErrorCodeInfo): string {
  if (info.status === null) return '200, at a field';
  if (info.partial && info.status !== 200) return `${info.status}, or 200 at a field`;
  return String(info.status);
}

function meaningOf(info: ErrorCodeInfo): string {
  if (info.retired) return `*Retired:* ${info.retired}. ${info.meaning}`;
  if (info.hidden) return `*Never sent:* ${info.meaning}`;
  return info.meaning;
}

export function renderErrorsDoc(): string {
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const info: ErrorCodeInfo = ERROR_CODES[code];
    return `| \`${code}\` | ${statusOf(info)} | ${info.retry ? 'yes' : 'no'} | ${cell(meaningOf(info))} | ${cell(info.raisedBy)} |`;
  });
  return `<!-- Generated from platform/errorCodes.ts by \`npm run errors:doc\`; edit the registry, not this file. -->
# Error codes

Every error the graph gives a client carries a stable code: \`extensions.code\` in a GraphQL answer,
\`code\` in the JSON body of the REST routes (\`/audit/...\`). Branch on the code, never on the message
(messages are for people and may change). The gateway, the subgraphs, the coordination store, the access
log and the HTTP layer all take their codes from one registry, \`platform/errorCodes.ts\`; a test
(\`tests/platform/errorCodes.test.ts\`) fails on any code raised in the source that is not registered, and
on this page when it differs from the registry.

How to read the table:
- **HTTP status**: the status when the error is the whole answer (the request was refused, nothing ran).
  "200, at a field" means the error sits at a field's \`path\` in an answer that still carries the rest of
  the data: that field is \`null\`, everything else is good.
- **Retry**: the same request may succeed unchanged later (after \`Retry-After\` where one is sent).
- Extensions besides \`code\`: \`service\` names the subgraph or system that failed; \`field\` names the
  refused argument (\`input.youthId\`); \`limit\` says which limit refused; \`retryAfterSeconds\` comes with
  \`RATE_LIMITED\`. Nothing else reaches a client: no stack, URL, upstream body or CPR number.

## Unavailable: subgraph or system

Two codes, on purpose. \`SUBGRAPH_UNAVAILABLE\`: the gateway got no answer from a subgraph (down, timed out,
breaker open, the request's deadline spent). \`UPSTREAM_UNAVAILABLE\`: the subgraph answered, but an existing
system behind it (school, guidance, jobcenter, social, benefits) did not. For a read they look alike to a
client, and a client may treat them as one ("unavailable", as the screen does): the fields of the part that
failed are \`null\`, \`extensions.service\` names it, the rest of the answer stands, and a later retry may
succeed. They differ where a client acts differently:

- **Mutations** (the error's path is the mutation field itself). After \`UPSTREAM_UNAVAILABLE\` the
  coordination answered and wrote nothing (it reads the systems before it writes): send the decision again
  when the system is back. After \`SUBGRAPH_UNAVAILABLE\`, a timeout included, the gateway cannot know
  whether the write ran: send it again with the same \`Idempotency-Key\`, which returns the first write's
  result if it did. (An error at a path inside the mutation's result means the write happened and only
  that part of the answer is missing.)
- **Retries already spent.** A system's failed reads were already retried by the subgraph (not after a
  timeout), and its breaker may be open; the gateway never retries a subgraph. An immediate retry helps
  less after \`UPSTREAM_UNAVAILABLE\`.
- **What \`service\` names, and who to call.** A system is another vendor's, outside the graph; a subgraph
  is the graph's own. The operators' trail differs too (\`/readyz\` breakers, metrics
  \`ungegraf_system_call_duration_seconds\` vs \`ungegraf_subgraph_call_duration_seconds\`;
  docs/request-flow.md, "Where to look when ...").

Merging them would hide the mutation difference; it would not spare a client anything, since a client
that does not care already checks one set of two codes (\`UNAVAILABLE_CODES\` in \`web/client/graph.ts\`).

## All codes

| Code | HTTP status | Retry | Meaning | Raised by |
|---|---|---|---|---|
${rows.join('\n')}
`;
}
