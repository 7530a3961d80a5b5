/**
 * Makes a key pair for the gateway's credential to the subgraphs (docs/access.md, "Gateway to subgraphs"):
 * the private JWK for the gateway's GATEWAY_SIGNING_KEY and the public JWKS for the subgraphs'
 * GATEWAY_TRUSTED_KEYS. With `--keep <jwks file>` the public set also keeps the current key (rotation:
 * the subgraphs trust both until the gateway signs with the new one).
 *
 *   npx tsx scripts/gateway-key.ts --out <dir> [--keep <current trusted-keys.json>]
 *   -> <dir>/signing-key.json (mode 0600), <dir>/trusted-keys.json
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { commandLine } from '../platform/cli.js';

const USAGE = 'usage: npx tsx scripts/gateway-key.ts --out <dir> [--keep <current trusted-keys.json>]';
const { values } = commandLine(process.argv.slice(2), { out: { type: 'string' }, keep: { type: 'string' } }, USAGE);
const out = values.out;
if (!out) {
  process.stderr.write(`error: --out is required\n\n${USAGE}\n`);
  process.exit(2);
}
const kid = `gateway-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const signing: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
const current = values.keep;
const kept = current ? (JSON.parse(readFileSync(current, 'utf8')) as { keys: JWK[] }).keys.filter((key) => key.kid !== kid).slice(-1) : [];
const trusted = { keys: [...kept, { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
mkdirSync(out, { recursive: true, mode: 0o700 });
writeFileSync(join(out, 'signing-key.json'), `${JSON.stringify(signing)}\n`, { mode: 0o600 });
writeFileSync(join(out, 'trusted-keys.json'), `${JSON.stringify(trusted)}\n`);
process.stdout.write(
  `gateway key ${kid}: ${join(out, 'signing-key.json')} (GATEWAY_SIGNING_KEY), ${join(out, 'trusted-keys.json')} (GATEWAY_TRUSTED_KEYS, ${trusted.keys.length} key(s))\n`,
);
