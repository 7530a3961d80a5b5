/**
 * One benchmark subgraph in its own process: `serve.ts <name> <port>` answers GraphQL POSTs on
 * `/graphql` and prints `listening <port>` once it does. As lean as the reference's Rust subgraphs
 * allow in Node: plain node:http, each distinct query text parsed and validated once (the gateways send
 * the same few plans' operations over and over), keep-alive longer than any gateway's idle sockets.
 * Like the reference's, they read nothing of the caller, and say so as ungegraf's subgraphs do.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execute, parse, validate, type DocumentNode, type GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { commandLine } from '../../../platform/cli.js';
import { sendJson } from '../../../platform/httpJson.js';
import { ANSWER_VARIES_HEADER } from '../../../platform/authorization/answerVaries.js';
import { buildBenchSubgraph, SUBGRAPH_NAMES, type SubgraphName } from './schemas.js';

const USAGE = `usage: serve.ts <${SUBGRAPH_NAMES.join('|')}> <port>`;
const [name, portArgument, ...extra] = commandLine(process.argv.slice(2), {}, USAGE, { allowPositionals: true }).positionals;
if (!SUBGRAPH_NAMES.includes(name as SubgraphName) || portArgument === undefined || extra.length > 0) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const schema = buildBenchSubgraph(name as SubgraphName);

/** Parsed and validated documents by query text; a few plans' worth, bounded anyway. */
const documents = new LRUCache<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>({ max: 1000 });

function prepared(query: string) {
  let entry = documents.get(query);
  if (entry) return entry;
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    entry = errors.length > 0 ? { errors } : { document };
  } catch (error) {
    entry = { errors: [error as GraphQLError] };
  }
  documents.set(query, entry);
  return entry;
}

/** The reference's subgraphs answer the same whoever asks: no caller claim reaches them. */
const READS_NO_CLAIM = { [ANSWER_VARIES_HEADER]: '' };

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || !req.url?.startsWith('/graphql')) {
    req.resume();
    return sendJson(res, 404, { errors: [{ message: 'POST /graphql' }] });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
  } catch {
    return sendJson(res, 400, { errors: [{ message: 'The body is not JSON' }] });
  }
  if (typeof request.query !== 'string') return sendJson(res, 400, { errors: [{ message: 'No query' }] });
  const entry = prepared(request.query);
  if ('errors' in entry) return sendJson(res, 400, { errors: entry.errors.map((error) => ({ message: error.message })) });
  const result = await execute({
    schema,
    document: entry.document,
    variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  // Said in the header every ungegraf subgraph sends (platform/authorization/answerVaries.ts).
  sendJson(res, 200, result, READS_NO_CLAIM);
}

const server = createServer((req, res) => {
  answer(req, res).catch(() => {
    if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error' }] });
    else res.destroy();
  });
});
// Longer than any gateway's idle-socket timeout: no gateway meets a socket closed under it.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(Number(portArgument), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : portArgument}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
