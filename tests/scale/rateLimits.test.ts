import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { createLogger } from '../../platform/logger.js';
import { memorySharedState } from '../../platform/sharedState.js';
import type { Identity } from '../../platform/authentication/verifier.js';
import { clientKeyOf, createRateLimits, weightOf } from '../../gateway/rateLimits.js';
import { hardening, operationCost } from '../../gateway/limits.js';
import { loadTrafficConfig } from '../../gateway/config.js';

const logger = createLogger('rate-limits-test');

function identity(subject: string, extra: Partial<Identity> = {}): Identity {
  return { subject, role: null, organisation: 'aalborg/uu', institution: null, scopes: new Set(), token: 't', expiresAt: 0, ...extra };
}

describe('weights', () => {
  it('spends max(1, ceil(cost / unit)) points', () => {
    expect(weightOf(0, 100)).toBe(1);
    expect(weightOf(100, 100)).toBe(1);
    expect(weightOf(101, 100)).toBe(2);
    expect(weightOf(20_000, 100)).toBe(200);
  });

  it('measures cost the way the cost limit does, reusing its measure', () => {
    const schema = buildSchema('type Query { people(first: Int): [Person!]! } type Person { name: String! friends: [Person!]! }');
    const document = parse('{ people(first: 10) { name friends { name } } }');
    const fresh = operationCost(schema, document);
    expect(fresh).toBeGreaterThan(10);
    // After validation with the hardening rules, the same document's measure is the limit's own.
    const other = parse('{ people(first: 10) { name friends { name } } }');
    expect(
      validate(
        schema,
        other,
        hardening({ production: false, limits: { maxDepth: 10, maxAliases: 10, maxTokens: 1000, maxCost: 100_000 } }).validationRules,
      ),
    ).toEqual([]);
    expect(operationCost(schema, other)).toBe(fresh);
  });
});

describe('budgets', () => {
  it('count a client by azp/client_id, else its organisation', () => {
    expect(clientKeyOf(identity('a', { clientId: 'partner-portal' }))).toBe('client:partner-portal');
    expect(clientKeyOf(identity('a'))).toBe('org:aalborg/uu');
    expect(clientKeyOf(identity('a', { organisation: null }))).toBe('sub:a');
  });

  it('refuse a subject over its points with the seconds to wait, and leave others alone', async () => {
    const config = { ...loadTrafficConfig({}).rateLimit, subjectPoints: 5, clientPoints: 1000 };
    const limits = createRateLimits(memorySharedState(), config, logger);
    expect(await limits.spend(identity('s1'), 5)).toEqual({ allowed: true });
    const refused = await limits.spend(identity('s1'), 1);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(await limits.spend(identity('s2'), 1)).toEqual({ allowed: true });
  });

  it('refuse a client whose subjects together spend its points', async () => {
    const config = { ...loadTrafficConfig({}).rateLimit, subjectPoints: 100, clientPoints: 10, windowSeconds: 5 };
    const limits = createRateLimits(memorySharedState(), config, logger);
    for (let i = 0; i < 5; i++) expect((await limits.spend(identity(`p${i}`, { clientId: 'portal' }), 2)).allowed).toBe(true);
    const refused = await limits.spend(identity('p9', { clientId: 'portal' }), 1);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect((await limits.spend(identity('p9', { clientId: 'another' }), 1)).allowed).toBe(true);
  });

  it('with 0 points a budget is off', async () => {
    const limits = createRateLimits(
      memorySharedState(),
      { windowSeconds: 60, subjectPoints: 0, clientPoints: 0, costUnit: 100, unauthenticatedPoints: 0 },
      logger,
    );
    for (let i = 0; i < 50; i++) expect((await limits.spend(identity('x'), 1000)).allowed).toBe(true);
  });
});
