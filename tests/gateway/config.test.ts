import { DEFAULT_LIMITS } from '../../gateway/limits.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, envNameOf, loadGatewayConfig, REPO_ROOT } from '../../gateway/config.js';
import { join } from 'node:path';

describe('loadGatewayConfig', () => {
  it('has defaults that run locally', () => {
    const config = loadGatewayConfig({});
    expect(config).toEqual({
      port: 4000,
      host: '127.0.0.1',
      supergraphPath: join(REPO_ROOT, 'schema/supergraph.graphql'),
      subgraphUrlOverrides: {},
      subgraphTimeoutMs: 5000,
      nodeEnv: 'development',
      production: false,
      limits: DEFAULT_LIMITS,
      supergraphReload: true,
      supergraphPollMs: 10_000,
      lifecycle: { shutdownGraceMs: 10_000, shutdownDelayMs: 0, readinessTimeoutMs: 1000 },
      resilience: { requestDeadlineMs: 10_000, breakerThreshold: 5, breakerHalfOpenMs: 10_000 },
      sharedState: { redisUrl: undefined, keyPrefix: 'ungegraf:', commandTimeoutMs: 500, connectTimeoutMs: 2000 },
      traffic: {
        rateLimit: { windowSeconds: 60, subjectPoints: 2000, clientPoints: 20_000, costUnit: 100, unauthenticatedPoints: 60 },
        partnerManifestPath: join(REPO_ROOT, 'operations/partner-manifest.json'),
        apqTtlSeconds: 86_400,
      },
      ide: { mode: 'on', examplesDir: join(REPO_ROOT, 'operations/examples'), cacheDir: join(REPO_ROOT, '.data/ide') },
      performance: { coalesceOperations: true, deduplicateSubgraphCalls: true, batchSubgraphFetches: true, ownPlanExecutor: true },
    });
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '8080',
      GATEWAY_HOST: '0.0.0.0',
      SUPERGRAPH_PATH: '/etc/ungegraf/supergraph.graphql',
      SUBGRAPH_GUIDANCE_URL: 'http://guidance:4002/graphql',
      SUBGRAPH_SCHOOL_URL: 'https://school.svc/graphql/',
      SUBGRAPH_TIMEOUT_MS: '1500',
      NODE_ENV: 'production',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.supergraphPath).toBe('/etc/ungegraf/supergraph.graphql');
    expect(config.subgraphUrlOverrides).toEqual({ GUIDANCE: 'http://guidance:4002/graphql', SCHOOL: 'https://school.svc/graphql' });
    expect(config.subgraphTimeoutMs).toBe(1500);
    expect(config.production).toBe(true);
  });

  it.each([
    [{ GATEWAY_PORT: '70000' }, /GATEWAY_PORT must be a whole number from 0 to 65535, got "70000"/],
    [{ GATEWAY_PORT: 'http' }, /GATEWAY_PORT/],
    [{ SUBGRAPH_TIMEOUT_MS: '0' }, /SUBGRAPH_TIMEOUT_MS must be a whole number from 1/],
    [{ SUBGRAPH_TIMEOUT_MS: '2.5' }, /SUBGRAPH_TIMEOUT_MS/],
    [{ SUBGRAPH_SCHOOL_URL: 'school:4001' }, /SUBGRAPH_SCHOOL_URL must be an (absolute|http\(s\)) URL/],
    [{ SUBGRAPH_SCHOOL_URL: 'ftp://school/graphql' }, /SUBGRAPH_SCHOOL_URL must be an http\(s\) URL/],
    [{ GATEWAY_HOST: 'http://x' }, /GATEWAY_HOST/],
  ])('refuses %o', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });

  it('names subgraphs in variables the same way everywhere', () => {
    expect(envNameOf('guidance')).toBe('GUIDANCE');
    expect(envNameOf('job-center')).toBe('JOB_CENTER');
  });
});
