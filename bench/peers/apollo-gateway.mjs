// The stock peer: @apollo/gateway + @apollo/server as their docs set them up, nothing tuned.
// `node apollo-gateway.mjs <supergraph file> <port>`; prints `listening <port>` once it serves.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const USAGE = 'usage: node apollo-gateway.mjs <supergraph file> <port>';
let positionals;
try {
  ({ positionals } = parseArgs({ args: process.argv.slice(2), options: {}, strict: true, allowPositionals: true }));
} catch (error) {
  process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
const [supergraphPath, port] = positionals;
if (supergraphPath === undefined || port === undefined || positionals.length > 2) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
process.env.APOLLO_TELEMETRY_DISABLED = '1';
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
process.stdout.write(`listening ${new URL(url).port}\n`);
