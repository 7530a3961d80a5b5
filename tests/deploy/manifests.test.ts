import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadGatewayConfig, REPO_ROOT } from '../../gateway/config.js';
import { loadAuthConfig } from '../../platform/authentication/config.js';
import { loadAuditConfig } from '../../gateway/accessLog/config.js';
import { loadLifecycleConfig } from '../../platform/lifecycle.js';
import { loadTracingConfig } from '../../platform/tracing.js';
import { loadSchoolConfig } from '../../subgraphs/school/config.js';
import { loadGuidanceConfig } from '../../subgraphs/guidance/config.js';
import { loadJobcenterConfig } from '../../subgraphs/jobcenter/config.js';
import { loadSocialConfig } from '../../subgraphs/social/config.js';
import { loadBenefitsConfig } from '../../subgraphs/benefits/config.js';
import { loadCoordinationConfig } from '../../subgraphs/coordination/config.js';
import { loadSystemsConfig, DEFAULT_PORTS } from '../../systems/config.js';
import { SYSTEM_NAMES, type SystemName } from '../../systems/kit/system.js';
import { startSystems, type RunningSystems } from '../../systems/index.js';
import { createSchoolSubgraph } from '../../subgraphs/school/server.js';
import { createAuthenticate } from '../../subgraphs/kit/auth.js';
import { HEALTH_PATH, listen, type Listening } from '../../platform/graphqlHttp.js';
import { createLogger } from '../../platform/logger.js';
import { SUPERGRAPH_CONFIGMAP_FILE, renderSupergraphConfigMap } from '../../scripts/deploy-manifests.js';
import { RUNTIME_FOLDERS } from '../../scripts/build.js';
import { exportJWK, generateKeyPair } from 'jose';
import { loadGatewaySigningConfig, loadGatewayTrustConfig } from '../../platform/authentication/gatewayCredential.js';

/**
 * The container image and the Kubernetes manifests against the configuration the code really reads:
 * every variable a manifest sets is one its part reads (found by running the part's own config loaders
 * over the manifest's environment and recording what they read), ports and probes are the ones the
 * servers answer on, the supergraph ConfigMap is the committed supergraph, and everything runs as
 * non-root from the one image with the README's entry points. Docker is not needed: the Dockerfile is
 * checked as text.
 */
const K8S_DIR = join(REPO_ROOT, 'deploy/k8s');
const DOCKERFILE = readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
const SUBGRAPHS = ['school', 'guidance', 'jobcenter', 'social', 'benefits', 'coordination'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];
type Part = 'gateway' | Subgraph | 'systems';

// ---------------------------------------------------------------------------------------------------
// Reading the manifests

// The few fields of each kind these tests read (the YAML is parsed untyped; a kind's shape is named once here).
interface Metadata {
  name: string;
}
interface Manifest {
  kind?: string;
  metadata?: Metadata;
}
interface Kustomization extends Manifest {
  resources?: string[];
  images?: { name: string }[];
}
type Labels = Record<string, string>;
interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Probe {
  httpGet: { path: string; port: string };
}
type ProbeName = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
interface ResourceAmounts {
  cpu?: string;
  memory?: string;
}
interface ContainerSpec extends Partial<Record<ProbeName, Probe>> {
  image: string;
  command?: string[];
  args?: string[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: {
    name: string;
    value?: string | number | boolean;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
  }[];
  ports: { name: string; containerPort: number }[];
  resources?: { requests?: ResourceAmounts; limits?: ResourceAmounts };
  securityContext: { allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Deployment extends Manifest {
  metadata: Metadata;
  spec: {
    template: {
      metadata: { labels: Labels };
      spec: {
        containers: ContainerSpec[];
        securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
        terminationGracePeriodSeconds: number;
        volumes?: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}
interface Service extends Manifest {
  metadata: Metadata;
  spec: { selector: Labels; ports: { port: number; targetPort: string | number }[] };
}
interface ConfigMap extends Manifest {
  metadata: Metadata;
  data?: Record<string, string>;
}
interface NetworkPolicyPeer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}
interface NetworkPolicyRule {
  ports?: { protocol?: string; port?: number }[];
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
}
interface NetworkPolicy extends Manifest {
  metadata: Metadata;
  spec: {
    podSelector?: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: NetworkPolicyRule[];
    egress?: NetworkPolicyRule[];
  };
}
interface HorizontalPodAutoscaler extends Manifest {
  metadata: Metadata;
  spec: { scaleTargetRef: { name: string }; minReplicas?: number; maxReplicas: number };
}
interface PodDisruptionBudget extends Manifest {
  metadata: Metadata;
  spec: { selector: { matchLabels: Labels }; minAvailable?: number | string; maxUnavailable?: number | string };
}
/** The kinds looked up by name, to their shapes. */
interface Kinds {
  Deployment: Deployment;
  Service: Service;
  ConfigMap: ConfigMap;
  NetworkPolicy: NetworkPolicy;
  HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  PodDisruptionBudget: PodDisruptionBudget;
  Secret: Manifest;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

const files = yamlFiles(K8S_DIR);
const resources: { file: string; doc: Manifest | null }[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${relative(REPO_ROOT, file)}: ${document.errors[0]!.message}`);
    return { file: relative(K8S_DIR, file), doc: document.toJS() as Manifest | null };
  }),
);
const ofKind = <K extends keyof Kinds>(kind: K): Kinds[K][] => resources.filter((r) => r.doc?.kind === kind).map((r) => r.doc as Kinds[K]);
const deployments = ofKind('Deployment');
const services = ofKind('Service');
const configMaps = new Map<string, Record<string, string>>(ofKind('ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));

/** The part a container runs, from its compiled entry file (the image's ENTRYPOINT is `node`). */
function partOf(args: string[]): Part {
  const entry = args[0] ?? '';
  if (entry === 'gateway/main.js') return 'gateway';
  if (entry === 'systems/main.js') return 'systems';
  const subgraph = /^subgraphs\/([a-z]+)\/index\.js$/.exec(entry)?.[1];
  if (subgraph && (SUBGRAPHS as readonly string[]).includes(subgraph)) return subgraph as Subgraph;
  throw new Error(`unknown entry point ${entry}`);
}

/** The gateway's key pair as its Secret holds it (scripts/gateway-key.ts), made for the test. */
const standInGatewayKey = await generateKeyPair('ES256', { extractable: true });
/** Stand-ins for Secret values (never in the repository): valid for the variable's parser. */
const SECRET_STAND_INS: Record<string, string> = {
  GATEWAY_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(standInGatewayKey.privateKey)), kid: 'gateway-test', alg: 'ES256' }),
  GATEWAY_TRUSTED_KEYS: JSON.stringify({
    keys: [{ ...(await exportJWK(standInGatewayKey.publicKey)), kid: 'gateway-test', alg: 'ES256' }],
  }),
  DATABASE_URL: 'postgresql://ungegraf:secret@postgres:5432/ungegraf',
  REDIS_URL: 'redis://:secret@redis:6379',
  COORDINATION_CURSOR_KEY: Buffer.alloc(32, 7).toString('base64'),
};

interface Container {
  part: Part;
  deployment: Deployment;
  container: ContainerSpec;
  /** Every variable the container gets: name to value (Secret values stood in for). */
  env: Record<string, string>;
  secretRefs: { variable: string; name: string; key: string }[];
}

function containersOf(deployment: Deployment): Container[] {
  return deployment.spec.template.spec.containers.map((container) => {
    const env: Record<string, string> = {};
    const secretRefs: Container['secretRefs'] = [];
    for (const source of container.envFrom ?? []) {
      const name = source.configMapRef?.name;
      if (!name) throw new Error(`${deployment.metadata.name}: only ConfigMaps in envFrom (Secrets by key, so their variables show)`);
      const data = configMaps.get(name);
      if (!data) throw new Error(`${deployment.metadata.name}: ConfigMap ${name} is not in the manifests`);
      Object.assign(env, data);
    }
    for (const variable of container.env ?? []) {
      const secret = variable.valueFrom?.secretKeyRef;
      if (secret) {
        secretRefs.push({ variable: variable.name, name: secret.name, key: secret.key });
        env[variable.name] = SECRET_STAND_INS[variable.name] ?? 'stand-in-secret';
      } else if (variable.valueFrom?.configMapKeyRef) {
        env[variable.name] = configMaps.get(variable.valueFrom.configMapKeyRef.name)?.[variable.valueFrom.configMapKeyRef.key] ?? '';
      } else {
        env[variable.name] = String(variable.value ?? '');
      }
    }
    return { part: partOf(container.args ?? []), deployment, container, env, secretRefs };
  });
}

const containers = deployments.flatMap(containersOf);
const byPart = (part: Part) => containers.find((c) => c.part === part)!;

// ---------------------------------------------------------------------------------------------------
// What the code reads

/** Runs `load` over `values` and answers every variable it looked at (by name, or by listing them). */
function readsOf(values: Record<string, string>, load: (env: Record<string, string | undefined>) => void): Set<string> {
  const read = new Set<string>();
  const env = new Proxy(values, {
    get(target, key): unknown {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key);
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
  });
  load(env);
  return read;
}

/** The image sets these (Dockerfile ENV); the manifests run with them. */
/** Variables Node itself reads, not our code. */
const READ_BY_NODE = new Set(['NODE_OPTIONS']);
const IMAGE_ENV = { NODE_ENV: 'production', APOLLO_TELEMETRY_DISABLED: '1', IDE_CACHE_DIR: '/app/ide-bundle' };

/** What each part's entry point loads (gateway/main.ts, subgraphs/<name>/index.ts with kit/run.ts, systems/main.ts). */
const LOADERS: Record<Part, (env: Record<string, string | undefined>) => unknown> = {
  gateway: (env) => [
    loadGatewayConfig(env),
    loadAuthConfig(env),
    loadAuditConfig(env),
    loadTracingConfig('gateway', env),
    loadGatewaySigningConfig(env),
  ],
  school: (env) => [loadSchoolConfig(env), ...subgraphRuntime(env)],
  guidance: (env) => [loadGuidanceConfig(env), ...subgraphRuntime(env)],
  jobcenter: (env) => [loadJobcenterConfig(env), ...subgraphRuntime(env)],
  social: (env) => [loadSocialConfig(env), ...subgraphRuntime(env)],
  benefits: (env) => [loadBenefitsConfig(env), ...subgraphRuntime(env)],
  coordination: (env) => [loadCoordinationConfig(env), ...subgraphRuntime(env)],
  systems: (env) => [loadSystemsConfig(env)],
};

function subgraphRuntime(env: Record<string, string | undefined>): unknown[] {
  // Subgraphs verify the gateway's credential only (subgraphs/kit/auth.ts), never a user's token.
  return [loadGatewayTrustConfig(env), loadLifecycleConfig(env), loadTracingConfig('subgraph', env)];
}

/** Sources a part runs, by folder: where a direct `process.env.X` read counts for it. */
const SOURCE_DIRS: Record<'gateway' | 'subgraph' | 'systems', string[]> = {
  gateway: ['gateway', 'platform'],
  subgraph: ['subgraphs', 'platform'],
  systems: ['systems', 'platform'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function directReads(dirs: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of dirs.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g))
      names.add((match[1] ?? match[2])!);
  }
  return names;
}

function readByPart(part: Part, env: Record<string, string>): Set<string> {
  const reads = readsOf({ ...IMAGE_ENV, ...env }, (e) => LOADERS[part](e));
  const direct = directReads(SOURCE_DIRS[part === 'gateway' || part === 'systems' ? part : 'subgraph']);
  return new Set([...reads, ...direct]);
}

// ---------------------------------------------------------------------------------------------------

describe('the manifests', () => {
  it('parse, and the kustomizations list every file', () => {
    expect(files.length).toBeGreaterThan(4);
    const listed = new Set<string>();
    for (const kustomization of resources.filter((r) => r.file.endsWith('kustomization.yaml'))) {
      for (const entry of (kustomization.doc as Kustomization).resources ?? []) listed.add(join(dirname(kustomization.file), entry));
    }
    for (const { file } of resources) if (!file.endsWith('kustomization.yaml')) expect(listed, file).toContain(file);
  });

  it('have a Deployment per part: the gateway, six subgraphs, and the simulated systems for staging', () => {
    expect(containers.map((c) => c.part).sort()).toEqual(['gateway', ...SUBGRAPHS, 'systems'].sort());
    const systems = resources.find((r) => r.doc?.kind === 'Deployment' && r.doc.metadata?.name === 'ungegraf-systems')!;
    expect(systems.file).toMatch(/^staging\//);
  });

  it('set only variables the parts read, with values their config accepts', () => {
    for (const { part, env, deployment } of containers) {
      const read = readByPart(part, env);
      const unread = Object.keys(env).filter((name) => !read.has(name) && !READ_BY_NODE.has(name));
      expect(unread, `${deployment.metadata.name} sets variables ${part} never reads`).toEqual([]);
    }
  });

  it('cap the gateway’s heap at most 3/4 of its memory limit, with an option Node accepts', () => {
    const gateway = byPart('gateway');
    const heap = /--max-old-space-size=(\d+)/.exec(gateway.env['NODE_OPTIONS'] ?? '');
    expect(heap, 'NODE_OPTIONS=--max-old-space-size=<MiB> on the gateway').not.toBeNull();
    const limit = /^(\d+)Mi$/.exec(String(gateway.container.resources?.limits?.memory));
    expect(Number(heap![1])).toBeLessThanOrEqual((Number(limit![1]) * 3) / 4);
    const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'], {
      env: { ...process.env, NODE_OPTIONS: gateway.env['NODE_OPTIONS'] },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    // The limit Node reports covers the old space plus the young generation's semi-spaces: the whole heap
    // must stay under the container's limit (Node 24's default semi-spaces alone would take it past).
    expect(Number(run.stdout) / 2 ** 20).toBeGreaterThanOrEqual(Number(heap![1]));
    expect(Number(run.stdout) / 2 ** 20).toBeLessThan(Number(limit![1]) * 0.9);
  });

  it('keep secret values out of the repository: Secrets are referenced by name and key only', () => {
    expect(ofKind('Secret')).toEqual([]);
    const secretsDoc = readFileSync(join(K8S_DIR, 'secrets.md'), 'utf8');
    for (const { secretRefs } of containers) {
      for (const ref of secretRefs) {
        expect(secretsDoc, `${ref.name}/${ref.key}`).toContain(`\`${ref.name}\``);
        expect(secretsDoc).toContain(`\`${ref.key}\``);
      }
    }
    // What is a secret comes from a Secret, never from a ConfigMap.
    for (const { env, secretRefs } of containers) {
      for (const name of [
        'DATABASE_URL',
        'REDIS_URL',
        'SCHOOL_API_KEY',
        'GUIDANCE_TOKEN',
        'JOBCENTER_API_KEY',
        'SOCIAL_PASSWORD',
        'BENEFITS_CLIENT_SECRET',
        'COORDINATION_CURSOR_KEY',
      ]) {
        if (name in env) expect(secretRefs.map((r) => r.variable)).toContain(name);
      }
    }
    expect(
      byPart('gateway')
        .secretRefs.map((r) => r.variable)
        .sort(),
    ).toEqual(['DATABASE_URL', 'GATEWAY_SIGNING_KEY', 'REDIS_URL']);
    // The gateway's private key is the gateway's alone; every subgraph gets its public keys.
    for (const { part, secretRefs } of containers) {
      if (part === 'systems') continue;
      expect(
        secretRefs.some((r) => r.variable === 'GATEWAY_SIGNING_KEY'),
        part,
      ).toBe(part === 'gateway');
      expect(
        secretRefs.some((r) => r.variable === 'GATEWAY_TRUSTED_KEYS'),
        part,
      ).toBe(part !== 'gateway');
    }
    expect(byPart('coordination').secretRefs.map((r) => r.variable)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'COORDINATION_CURSOR_KEY']),
    );
  });

  it('listen on the ports the parts are configured with, and Services route to them', () => {
    for (const { part, env, container, deployment } of containers) {
      const ports = new Map<string | number, number>(container.ports.map((p) => [p.name, p.containerPort]));
      const e = { ...IMAGE_ENV, ...env };
      if (part === 'gateway') {
        const config = loadGatewayConfig(e);
        expect(ports.get('http')).toBe(config.port);
        expect(config.host).toBe('0.0.0.0');
      } else if (part === 'systems') {
        const config = loadSystemsConfig(e);
        for (const name of SYSTEM_NAMES) expect(ports.get(name), name).toBe(config.ports[name]);
        expect(config.host).toBe('0.0.0.0');
      } else {
        expect(ports.get('http')).toBe((LOADERS[part](e) as [{ port: number }])[0].port);
        expect(env['HOST']).toBe('0.0.0.0'); // subgraphs/kit/run.ts listens on HOST
      }
      // A Service selects this Deployment's pods and exposes each port under the same number.
      const labels = deployment.spec.template.metadata.labels;
      const service = services.find((s) => Object.entries(s.spec.selector).every(([k, v]) => labels[k] === v));
      expect(service, `Service for ${deployment.metadata.name}`).toBeDefined();
      for (const port of service!.spec.ports) expect(ports.get(port.targetPort)).toBe(port.port);
    }
  });

  it('wire the gateway to the subgraph Services and the subgraphs to the systems Service', () => {
    const serviceTarget = (url: string): Part | undefined => {
      const { hostname, port } = new URL(url);
      const service = services.find((s) => s.metadata.name === hostname);
      if (!service?.spec.ports.some((p) => String(p.port) === port)) return undefined;
      const deployment = deployments.find((d) =>
        Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      return deployment ? containersOf(deployment)[0]!.part : undefined;
    };
    const gateway = loadGatewayConfig({ ...IMAGE_ENV, ...byPart('gateway').env });
    for (const subgraph of SUBGRAPHS) {
      const url = gateway.subgraphUrlOverrides[subgraph.toUpperCase()];
      expect(url, subgraph).toBeDefined();
      expect(serviceTarget(url!)).toBe(subgraph);
    }
    const systemsPorts = loadSystemsConfig({ ...IMAGE_ENV, ...byPart('systems').env }).ports;
    for (const { part, env } of containers) {
      for (const system of SYSTEM_NAMES) {
        const url = env[`${system.toUpperCase()}_URL`];
        if (!url) continue;
        expect(serviceTarget(url), `${part} -> ${system}`).toBe('systems');
        expect(Number(new URL(url).port)).toBe(systemsPorts[system]);
      }
    }
  });

  it('give every Deployment probes and resources, and run it as non-root from the one image', () => {
    for (const { deployment, container, part } of containers) {
      const name = deployment.metadata.name;
      for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
        expect(container[probe]?.httpGet?.path, `${name} ${probe}`).toBeTypeOf('string');
        expect(
          container.ports.map((p) => p.name),
          `${name} ${probe} port`,
        ).toContain(container[probe]?.httpGet.port);
      }
      if (part !== 'systems') {
        expect(container.livenessProbe?.httpGet.path).toBe(HEALTH_PATH);
        expect(container.readinessProbe?.httpGet.path).toBe('/readyz');
      }
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.cpu, `${name} ${kind}.cpu`).toBeDefined();
        expect(container.resources?.[kind]?.memory, `${name} ${kind}.memory`).toBeDefined();
      }
      const pod = deployment.spec.template.spec.securityContext;
      expect(pod.runAsNonRoot, name).toBe(true);
      expect(pod.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.image).toBe('ungegraf');
      // The image's ENTRYPOINT runs the entry file: no Deployment replaces it. The file is compiled by
      // `npm run build` from its source in one of the folders the build holds.
      expect(container.command, name).toBeUndefined();
      const entry = container.args?.[0] ?? '';
      expect(entry, name).toMatch(/\.js$/);
      expect(existsSync(join(REPO_ROOT, entry.replace(/\.js$/, '.ts'))), entry).toBe(true);
      expect(RUNTIME_FOLDERS, entry).toContain(entry.split('/')[0]);
    }
    const kustomization = resources.find((r) => r.file === 'kustomization.yaml')!.doc as Kustomization;
    expect(kustomization.images?.map((i) => i.name)).toEqual(['ungegraf']);
  });

  it('give a stopping pod time to drain: the grace period outlasts the shutdown delay and grace', () => {
    for (const { part, env, deployment } of containers) {
      if (part === 'systems') continue;
      const lifecycle = loadLifecycleConfig({ ...IMAGE_ENV, ...env });
      const seconds = deployment.spec.template.spec.terminationGracePeriodSeconds;
      expect(seconds * 1000, deployment.metadata.name).toBeGreaterThan(lifecycle.shutdownDelayMs + lifecycle.shutdownGraceMs);
    }
  });

  it('scale the gateway: a HorizontalPodAutoscaler and a PodDisruptionBudget on its Deployment', () => {
    const gateway = byPart('gateway').deployment;
    const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === gateway.metadata.name);
    expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa?.spec.maxReplicas).toBeGreaterThan(hpa?.spec.minReplicas ?? Number.NaN);
    const pdb = ofKind('PodDisruptionBudget').find((p) =>
      Object.entries(p.spec.selector.matchLabels).every(([k, v]) => gateway.spec.template.metadata.labels[k] === v),
    );
    expect(pdb?.spec.minAvailable ?? pdb?.spec.maxUnavailable).toBeDefined();
  });

  it('mount the supergraph ConfigMap where SUPERGRAPH_PATH points, equal to schema/supergraph.graphql', () => {
    const { container, deployment, env } = byPart('gateway');
    const supergraph = readFileSync(join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
    const path = loadGatewayConfig({ ...IMAGE_ENV, ...env }).supergraphPath;
    const mount = container.volumeMounts?.find((m) => path.startsWith(`${m.mountPath}/`));
    expect(mount, `a volume mounted above ${path}`).toBeDefined();
    const volume = deployment.spec.template.spec.volumes?.find((v) => v.name === mount!.name);
    const data = configMaps.get(volume!.configMap!.name)!;
    expect(data[path.slice(mount!.mountPath.length + 1)]).toBe(supergraph);
    expect(readFileSync(join(REPO_ROOT, SUPERGRAPH_CONFIGMAP_FILE), 'utf8')).toBe(renderSupergraphConfigMap(supergraph));
  });
});

describe('the NetworkPolicies (networkpolicies.yaml): only the gateway reaches a subgraph, each subgraph only its own systems', () => {
  const NAMESPACE = 'ungegraf';
  const policies = ofKind('NetworkPolicy');
  type Peer = { labels: Record<string, string>; namespace: string } | { ip: string };
  const labelsOf = (part: Part) => byPart(part).deployment.spec.template.metadata.labels;
  const podOf = (part: Part): Peer => ({ labels: labelsOf(part), namespace: NAMESPACE });
  const httpPort = (part: Part) => byPart(part).container.ports.find((p) => p.name === 'http')!.containerPort;
  /** Pods that are none of ours: a debug pod in the namespace, a pod elsewhere, an address outside. */
  const strangers: [string, Peer][] = [
    ['a pod of the namespace', { labels: { app: 'debug' }, namespace: NAMESPACE }],
    ['a pod labelled like ours in another namespace', { labels: labelsOf('gateway'), namespace: 'other' }],
    ['an address outside the cluster', { ip: '203.0.113.9' }],
  ];

  function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
    if (!selector) return true;
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
    for (const e of selector.matchExpressions ?? []) {
      const has = e.key in labels;
      if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]!))) return false;
      if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key]!)) return false;
      if (e.operator === 'Exists' && !has) return false;
      if (e.operator === 'DoesNotExist' && has) return false;
    }
    return true;
  }
  const ipNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  function inCidr(ip: string, cidr: string): boolean {
    const [base, bits] = cidr.split('/') as [string, string];
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
  }
  function peerMatches(rulePeer: NetworkPolicyPeer, peer: Peer): boolean {
    if (rulePeer.ipBlock)
      return 'ip' in peer && inCidr(peer.ip, rulePeer.ipBlock.cidr) && !(rulePeer.ipBlock.except ?? []).some((c) => inCidr(peer.ip, c));
    if ('ip' in peer) return false;
    if (rulePeer.namespaceSelector) {
      if (!selects(rulePeer.namespaceSelector, { 'kubernetes.io/metadata.name': peer.namespace })) return false;
    } else if (peer.namespace !== NAMESPACE) return false;
    return selects(rulePeer.podSelector, peer.labels);
  }
  const portMatches = (rule: NetworkPolicyRule, port: number, protocol: string) =>
    !rule.ports ||
    rule.ports.length === 0 ||
    rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
  /** Kubernetes' semantics: a pod no policy isolates in a direction is open that way; else any rule of any policy must admit. */
  function allowed(direction: 'Ingress' | 'Egress', pod: Record<string, string>, peer: Peer, port: number, protocol = 'TCP'): boolean {
    const isolating = policies.filter((p) => selects(p.spec.podSelector, pod) && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
    if (isolating.length === 0) return true;
    const [rules, peers] = direction === 'Ingress' ? (['ingress', 'from'] as const) : (['egress', 'to'] as const);
    return isolating.some((p) =>
      (p.spec[rules] ?? []).some(
        (rule) =>
          portMatches(rule, port, protocol) &&
          (!rule[peers] || rule[peers].length === 0 || rule[peers].some((rp) => peerMatches(rp, peer))),
      ),
    );
  }
  const reaches = (from: Part, to: Peer, port: number, protocol = 'TCP') =>
    allowed('Egress', labelsOf(from), to, port, protocol) && ('ip' in to || allowed('Ingress', to.labels, podOf(from), port, protocol));
  /** Every outside address (and port) any policy names. */
  const outside = policies.flatMap((p) =>
    (p.spec.egress ?? []).flatMap((rule) =>
      (rule.to ?? [])
        .filter((peer) => peer.ipBlock)
        .flatMap((peer) => (rule.ports ?? []).map((port) => ({ ip: peer.ipBlock!.cidr.split('/')[0]!, port: port.port! }))),
    ),
  );
  const outsideReachedBy = (part: Part) =>
    new Set(outside.filter((o) => allowed('Egress', labelsOf(part), { ip: o.ip }, o.port)).map((o) => `${o.ip}:${o.port}`));

  it('deny everything in the namespace by default, in and out', () => {
    const denyAll = policies.find((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress);
    expect(denyAll?.spec.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    const [, debugPod] = strangers[0]!;
    expect(allowed('Egress', (debugPod as { labels: Record<string, string> }).labels, { ip: '203.0.113.9' }, 443)).toBe(false);
    expect(allowed('Egress', (debugPod as { labels: Record<string, string> }).labels, podOf('gateway'), 4000)).toBe(false);
    // Nothing is opened to everywhere: no rule without peers but the gateway's public port, no 0.0.0.0/0.
    for (const policy of policies) {
      for (const rule of policy.spec.egress ?? []) expect(rule.to?.length, `${policy.metadata.name} egress to all`).toBeGreaterThan(0);
      for (const rule of policy.spec.ingress ?? []) {
        if (!rule.from)
          expect(
            selects(policy.spec.podSelector, labelsOf('gateway')) && !SUBGRAPHS.some((s) => selects(policy.spec.podSelector, labelsOf(s))),
            policy.metadata.name,
          ).toBe(true);
      }
      expect(JSON.stringify(policy.spec)).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
    }
  });

  it('admit clients to the gateway on its port, and nothing else to it', () => {
    const port = httpPort('gateway');
    expect(allowed('Ingress', labelsOf('gateway'), { ip: '203.0.113.9' }, port)).toBe(true);
    expect(allowed('Ingress', labelsOf('gateway'), { ip: '203.0.113.9' }, 9229)).toBe(false);
  });

  it('admit the gateway, and only the gateway, to every subgraph, on its port', () => {
    for (const subgraph of SUBGRAPHS) {
      const port = httpPort(subgraph);
      const target = labelsOf(subgraph);
      expect(reaches('gateway', podOf(subgraph), port), `gateway -> ${subgraph}`).toBe(true);
      expect(allowed('Ingress', target, podOf('gateway'), port + 1000), `gateway -> ${subgraph} on another port`).toBe(false);
      for (const other of ['systems', ...SUBGRAPHS] as Part[]) {
        expect(allowed('Ingress', target, podOf(other), port), `${other} -> ${subgraph}`).toBe(false);
      }
      for (const [who, peer] of strangers) expect(allowed('Ingress', target, peer, port), `${who} -> ${subgraph}`).toBe(false);
    }
  });

  it('let each subgraph out to DNS and to its own existing systems only (the coordination: its four and PostgreSQL)', () => {
    const dns = { labels: { 'k8s-app': 'kube-dns' }, namespace: 'kube-system' };
    const own = new Map(SUBGRAPHS.map((s) => [s, outsideReachedBy(s)]));
    const singles = ['school', 'guidance', 'jobcenter', 'social', 'benefits'] as const;
    for (const subgraph of SUBGRAPHS) {
      expect(allowed('Egress', labelsOf(subgraph), dns, 53, 'UDP'), `${subgraph} DNS`).toBe(true);
      expect(allowed('Egress', labelsOf(subgraph), { ip: '8.8.8.8' }, 53, 'UDP'), `${subgraph} outside DNS`).toBe(false);
      expect(allowed('Egress', labelsOf(subgraph), { ip: '203.0.113.9' }, 443), `${subgraph} -> the internet`).toBe(false);
      expect(reaches(subgraph, podOf('gateway'), httpPort('gateway')), `${subgraph} -> gateway`).toBe(false);
      for (const other of SUBGRAPHS)
        if (other !== subgraph) expect(reaches(subgraph, podOf(other), httpPort(other)), `${subgraph} -> ${other}`).toBe(false);
    }
    for (const subgraph of singles) {
      expect(own.get(subgraph)!.size, `${subgraph}: exactly its system`).toBe(1);
      for (const other of singles)
        if (other !== subgraph)
          expect(
            [...own.get(subgraph)!].some((a) => own.get(other)!.has(a)),
            `${subgraph} and ${other} share a way out`,
          ).toBe(false);
    }
    const coordination = own.get('coordination')!;
    const fourSystems = ['school', 'guidance', 'jobcenter', 'social'].flatMap((s) => [...own.get(s as Subgraph)!]);
    expect([...coordination].sort()).toEqual([...fourSystems, ...[...coordination].filter((a) => a.endsWith(':5432'))].sort());
    expect([...coordination].filter((a) => a.endsWith(':5432'))).toHaveLength(1);
    expect([...own.get('benefits')!].some((a) => coordination.has(a))).toBe(false);
    // The gateway reaches the subgraphs, PostgreSQL, Redis and its IdP, and none of the systems.
    const gateway = outsideReachedBy('gateway');
    for (const subgraph of singles)
      for (const address of own.get(subgraph)!) expect(gateway.has(address), `gateway -> ${subgraph}'s system`).toBe(false);
    expect([...gateway].some((a) => coordination.has(a) && a.endsWith(':5432'))).toBe(true);
  });

  it('in staging, admit each subgraph to its own simulated system on its port only', () => {
    const ports = loadSystemsConfig({ ...IMAGE_ENV, ...byPart('systems').env }).ports;
    const uses: Record<Subgraph, SystemName[]> = {
      school: ['school'],
      guidance: ['guidance'],
      jobcenter: ['jobcenter'],
      social: ['social'],
      benefits: ['benefits'],
      coordination: ['school', 'guidance', 'jobcenter', 'social'],
    };
    for (const subgraph of SUBGRAPHS) {
      for (const system of SYSTEM_NAMES) {
        expect(reaches(subgraph, podOf('systems'), ports[system]), `${subgraph} -> ${system}`).toBe(uses[subgraph].includes(system));
        // The subgraph's <SYSTEM>_URL names exactly the systems it may reach.
        if (byPart(subgraph).env[`${system.toUpperCase()}_URL`]) expect(uses[subgraph], `${subgraph} reads ${system}`).toContain(system);
      }
    }
    for (const system of SYSTEM_NAMES) {
      expect(reaches('gateway', podOf('systems'), ports[system]), `gateway -> ${system}`).toBe(false);
      for (const [who, peer] of strangers)
        expect(allowed('Ingress', labelsOf('systems'), peer, ports[system]), `${who} -> ${system}`).toBe(false);
    }
  });
});

describe('the probes answer on the paths the manifests use', () => {
  const logger = createLogger('deploy-test');
  let subgraph: Listening;
  let stopSubgraph: () => Promise<void>;
  let systems: RunningSystems;

  beforeAll(async () => {
    const built = createSchoolSubgraph({ ...loadSchoolConfig({}), port: 0 }, logger, await createAuthenticate(process.env, logger));
    subgraph = await listen(await built.start(), { port: 0, host: '127.0.0.1' });
    stopSubgraph = () => built.stop();
    systems = await startSystems({
      population: { scale: 0.01 },
      ports: { school: 0, guidance: 0, jobcenter: 0, social: 0, benefits: 0 },
      env: {},
    });
  });
  afterAll(async () => {
    await stopSubgraph?.();
    await subgraph?.close();
    await systems?.close();
  });

  it('the GraphQL servers (gateway and subgraphs share the HTTP integration) answer liveness and readiness', async () => {
    const paths = new Set(
      containers
        .filter((c) => c.part !== 'systems')
        .flatMap(({ container }) => [container.livenessProbe!.httpGet.path, container.readinessProbe!.httpGet.path]),
    );
    for (const path of paths) expect((await fetch(`${subgraph.url}${path}`)).status, path).toBe(200);
  });

  it('the simulated systems answer theirs on every port', async () => {
    const { container } = byPart('systems');
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const { port, path } = container[probe]!.httpGet;
      expect((await fetch(`${systems.systems[port as SystemName].url}${path}`)).status, probe).toBe(200);
    }
  });
});

describe('the image (deploy/Dockerfile, checked as text: no Docker here)', () => {
  const lines = DOCKERFILE.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const stages = DOCKERFILE.split(/^FROM /m).slice(1);
  const runtime = `FROM ${stages.at(-1)!}`;

  it('builds in stages with npm ci and runs a slim Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(DOCKERFILE).toMatch(/RUN npm ci\b/);
    expect(DOCKERFILE).toMatch(/^ARG NODE_IMAGE=node:24[-.\w]*slim/m);
    expect(runtime).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime/);
    // The runtime's dependencies come without the development ones.
    expect(DOCKERFILE).toMatch(/npm ci --omit=dev/);
  });

  it('runs as a non-root user, with telemetry off and NODE_ENV=production', () => {
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/APOLLO_TELEMETRY_DISABLED=1/);
    expect(runtime).toMatch(/NODE_ENV=production/);
  });

  it('builds the IDE bundle into the folder its environment names, so a read-only gateway serves it unbuilt', () => {
    expect(runtime).toMatch(new RegExp(`^ENV IDE_CACHE_DIR=${IMAGE_ENV.IDE_CACHE_DIR}$`, 'm'));
    const env = runtime.search(/^ENV IDE_CACHE_DIR=/m);
    const build = runtime.search(/^RUN node scripts\/ide-build\.js$/m);
    const user = runtime.search(/^USER /m);
    // After the ENV (so it builds where the gateway looks) and before USER (the bundle stays root's, read-only).
    expect(env).toBeGreaterThan(-1);
    expect(build).toBeGreaterThan(env);
    expect(user).toBeGreaterThan(build);
  });

  it('checks its health with node itself, on the port the running part is configured with', async () => {
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "deploy\/healthcheck\.mjs"\]/m);
    expect(DOCKERFILE).not.toMatch(/\b(curl|wget)\b/);
    const { healthUrl } = (await import(pathToFileURL(join(REPO_ROOT, 'deploy/healthcheck.mjs')).href)) as {
      healthUrl: (args: string[], env: Record<string, string | undefined>) => string;
    };
    // The image runs the compiled entry (`node gateway/main.js`), a checkout the source with tsx: one answer.
    for (const form of [(entry: string) => ['node', `${entry}.js`], (entry: string) => ['node', '--import', 'tsx', `${entry}.ts`]]) {
      expect(healthUrl(form('gateway/main'), {})).toBe(`http://127.0.0.1:${loadGatewayConfig({}).port}${HEALTH_PATH}`);
      for (const subgraph of SUBGRAPHS) {
        const port = (LOADERS[subgraph]({}) as [{ port: number }])[0].port;
        expect(healthUrl(form(`subgraphs/${subgraph}/index`), {})).toBe(`http://127.0.0.1:${port}${HEALTH_PATH}`);
      }
      expect(healthUrl([...form('systems/main'), 'social'], {})).toBe(`http://127.0.0.1:${DEFAULT_PORTS.social}/health`);
    }
    for (const { container, env } of containers) {
      const port = Number(new URL(healthUrl(['node', ...(container.args ?? [])], env)).port);
      expect(container.ports.map((p) => p.containerPort)).toContain(port);
    }
  });

  it('runs the compiled entry points with node alone, the gateway by default; the README runs the sources with tsx', () => {
    expect(runtime).toMatch(/^ENTRYPOINT \["node"\]$/m);
    expect(runtime).toMatch(/^CMD \["gateway\/main\.js"\]$/m);
    // Built in the checked stage (scripts/build.ts), after its gates.
    const check = stages.find((stage) => /AS check$/m.test(stage.split('\n')[0]!)) ?? '';
    expect(check).toMatch(/^RUN npm run -s build$/m);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npx tsx gateway/main.ts');
    expect(readme).toContain('npx tsx subgraphs/<name>/index.ts');
    expect(readme).toContain('npx tsx systems/main.ts');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['tsx'], 'the image runs JavaScript: tsx is a development dependency').toBeUndefined();
  });

  it('copies every folder the entry points load, and the files they read', () => {
    // The build's folders (/app/dist/<folder>) and the files copied as they are.
    const copied = new Set(
      [...runtime.matchAll(/^COPY --from=\w+(?: --chown=\S+)? \/app\/(\S+) /gm)].map((m) => m[1]!.replace(/^dist\//, '').split('/')[0]!),
    );
    const entries = ['gateway/main.ts', ...SUBGRAPHS.map((s) => `subgraphs/${s}/index.ts`), 'systems/main.ts', 'scripts/start.ts'];
    const seen = new Set<string>();
    const pending = entries.map((e) => join(REPO_ROOT, e));
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'));
        if (target.endsWith('.ts') && existsSync(target)) pending.push(target);
      }
    }
    const folders = new Set([...seen].map((file) => relative(REPO_ROOT, file).split('/')[0]!));
    for (const folder of [...folders, 'operations', 'schema']) expect(copied, folder).toContain(folder);
    expect(runtime).toContain('/app/deploy/healthcheck.mjs');
    const ignored = readFileSync(join(REPO_ROOT, 'deploy/Dockerfile.dockerignore'), 'utf8');
    for (const folder of folders) expect(ignored.split('\n')).not.toContain(folder);
    expect(lines.length).toBeGreaterThan(10);
  });
});
