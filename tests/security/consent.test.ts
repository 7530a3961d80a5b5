import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type GraphQLErrorShape, type TestStack } from '../e2e/testStack.js';

/**
 * Issue 14, section 2: for 25-29-year-olds (Aalborg's extension beyond the statutory under-25 youth
 * effort) another unit's data is shared only under the young person's recorded consent. Through the
 * whole graph: a jobcenter advisor reads a 25-29-year-old's UU, school and social data and the
 * derived target group before consent (refused, CONSENT_REQUIRED, nothing derived), after it is
 * recorded (shared), and at once after it is withdrawn (refused again). Before this change every
 * category was released to every role with the scope, whatever the age.
 */

const DOSSIER = /* GraphQL */ `
  query ($id: ID!) {
    youth(id: $id) {
      id
      age
      consent {
        required
        status
        units
        latest {
          givenOn
          recordedBy
          withdrawnOn
        }
      }
      guidance {
        completedYouthEducation
      }
      school {
        grade
      }
      socialSummary {
        openCases {
          unit
        }
      }
      jobcenter {
        category
      }
      targetGroup {
        inTargetGroup
      }
      coordinatedPlan {
        goals {
          unit
        }
      }
    }
  }
`;
const RECORD = /* GraphQL */ `
  mutation ($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      id
      units
      givenOn
      recordedBy
      withdrawnOn
      youth {
        id
      }
    }
  }
`;
const WITHDRAW = /* GraphQL */ `
  mutation ($input: WithdrawConsentInput!) {
    withdrawConsent(input: $input) {
      id
      withdrawnOn
      withdrawnBy
      youth {
        id
      }
    }
  }
`;

interface Dossier {
  youth: {
    id: string;
    age: number;
    consent: { required: boolean; status: string; units: string[]; latest: { givenOn: string; withdrawnOn: string | null } | null } | null;
    guidance: unknown;
    school: unknown;
    socialSummary: unknown;
    jobcenter: unknown;
    targetGroup: unknown;
    coordinatedPlan: unknown;
  } | null;
}

const consentRequiredAt = (errors: GraphQLErrorShape[] | undefined): string[] =>
  (errors ?? [])
    .filter((e) => e.extensions?.code === 'CONSENT_REQUIRED')
    .map((e) => (e.path ?? []).join('.'))
    .sort();

describe('consent for 25-29-year-olds (issue 14)', () => {
  let stack: TestStack;
  let older: string;
  let younger: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const list = async (ageMin: number, ageMax: number) => {
      const result = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
        'query ($f: YouthFilter) { youths(first: 50, filter: $f) { edges { node { id } } } }',
        { f: { ageMin, ageMax } },
        { role: 'uu-counsellor' },
      );
      if (!result.data?.youths) throw new Error(JSON.stringify(result.errors));
      return result.data.youths.edges.map((edge) => edge.node.id);
    };
    // Need to know: a 25-29-year-old in a coordinated effort the jobcenter (the reader below) and UU (the
    // recorder, with its default token) take part in.
    const candidates = await list(25, 29);
    const entries = await stack.store.registerEntries(candidates);
    older = candidates.find((_, i) => {
      const facts = entries[i]?.facts;
      return facts !== undefined && facts.inEffort && facts.effortUnits.includes('JOBCENTER') && facts.effortUnits.includes('UU');
    })!;
    younger = (await list(16, 20))[0]!;
  }, 120_000);

  afterAll(async () => {
    await stack?.shutdown();
  });

  it('withholds other units’ data and what is derived from it until consent is recorded, and again at once after withdrawal', async () => {
    const read = () => stack.gql<Dossier>(DOSSIER, { id: older }, { role: 'jobcenter-advisor', youth: older });

    const before = await read();
    expect(before.data!.youth!.age).toBeGreaterThanOrEqual(25);
    expect(before.data!.youth!.consent).toMatchObject({ required: true, status: 'NONE', units: [] });
    expect(before.data!.youth!.guidance).toBeNull();
    expect(before.data!.youth!.socialSummary).toBeNull();
    expect(before.data!.youth!.targetGroup).toBeNull();
    expect(before.data!.youth!.coordinatedPlan).toBeNull();
    expect(consentRequiredAt(before.errors)).toEqual(
      expect.arrayContaining(['youth.guidance', 'youth.socialSummary', 'youth.targetGroup', 'youth.coordinatedPlan']),
    );
    // The jobcenter's own data is the caller's own unit's: no consent needed.
    expect(consentRequiredAt(before.errors)).not.toContain('youth.jobcenter');

    const recorded = await stack.gql<{ recordConsent: { id: string; units: string[]; recordedBy: string } }>(
      RECORD,
      { input: { youthId: older, units: ['GUIDANCE', 'SCHOOL', 'SOCIAL'], idempotencyKey: 'consent-1' } },
      { role: 'uu-counsellor' },
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordConsent).toMatchObject({ units: ['GUIDANCE', 'SCHOOL', 'SOCIAL'], recordedBy: 'e2e-uu-counsellor' });

    const during = await read();
    expect(consentRequiredAt(during.errors)).toEqual([]);
    expect(during.data!.youth!.guidance).not.toBeNull();
    expect(during.data!.youth!.targetGroup).not.toBeNull();
    expect(during.data!.youth!.consent).toMatchObject({ required: true, status: 'GIVEN', units: ['GUIDANCE', 'SCHOOL', 'SOCIAL'] });

    const withdrawn = await stack.gql<{ withdrawConsent: { id: string; withdrawnOn: string } }>(
      WITHDRAW,
      { input: { youthId: older } },
      { role: 'jobcenter-advisor', youth: older },
    );
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.withdrawConsent.id).toBe(recorded.data!.recordConsent.id);

    const after = await read();
    expect(after.data!.youth!.guidance).toBeNull();
    expect(after.data!.youth!.targetGroup).toBeNull();
    expect(consentRequiredAt(after.errors)).toEqual(expect.arrayContaining(['youth.guidance', 'youth.socialSummary', 'youth.targetGroup']));
    expect(after.data!.youth!.consent).toMatchObject({ status: 'WITHDRAWN', units: [] });
  });

  it('needs no consent under 25 (the statutory youth effort)', async () => {
    const result = await stack.gql<Dossier>(DOSSIER, { id: younger }, { role: 'uu-counsellor' });
    expect(consentRequiredAt(result.errors)).toEqual([]);
    expect(result.data!.youth!.consent).toMatchObject({ required: false, status: 'NOT_REQUIRED' });
    expect(result.data!.youth!.guidance).not.toBeNull();
  });

  it('refuses bad input with coded errors and writes nothing; a repeated key takes effect once', async () => {
    const noUnits = await stack.gql(RECORD, { input: { youthId: older, units: [] } }, { role: 'uu-counsellor' });
    expect(noUnits.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.units' });
    const future = await stack.gql(
      RECORD,
      { input: { youthId: older, units: ['SCHOOL'], givenOn: '2099-01-01' } },
      { role: 'uu-counsellor' },
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.givenOn' });
    const unknown = await stack.gql(RECORD, { input: { youthId: 'nobody-here', units: ['SCHOOL'] } }, { role: 'uu-counsellor' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const nothingToWithdraw = await stack.gql(WITHDRAW, { input: { youthId: older } }, { role: 'uu-counsellor' });
    expect(nothingToWithdraw.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const input = { youthId: older, units: ['SCHOOL'], idempotencyKey: 'consent-twice' };
    const first = await stack.gql<{ recordConsent: { id: string } }>(RECORD, { input }, { role: 'uu-counsellor' });
    const again = await stack.gql<{ recordConsent: { id: string } }>(RECORD, { input }, { role: 'uu-counsellor' });
    expect(again.data!.recordConsent.id).toBe(first.data!.recordConsent.id);
    const second = await stack.gql(RECORD, { input: { youthId: older, units: ['SOCIAL'] } }, { role: 'uu-counsellor' });
    expect(second.errors?.[0]?.extensions?.code).toBe('ALREADY_EXISTS');
    // Partners and reporting tools cannot record consent.
    const partner = await stack.gql(RECORD, { input: { youthId: older, units: ['SCHOOL'] } }, { role: 'reporting-tool' });
    expect(partner.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    await stack.gql(WITHDRAW, { input: { youthId: older } }, { role: 'uu-counsellor' });
  });
  it('a list filtered on derived facts says no more than the field: the target-group filter skips a 25-29-year-old until consent covers it', async () => {
    const asAdvisor = { role: 'jobcenter-advisor', youth: older } as const;
    /** Every page of the advisor's list under the filter (relations only), as ids. */
    const listed = async (inTargetGroup: boolean): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        const result: {
          data?: { youths: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
        } = await stack.gql(
          'query ($f: YouthFilter, $after: String) { youths(first: 200, after: $after, filter: $f) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
          { f: { ageMin: 25, ageMax: 29, inTargetGroup }, after },
          asAdvisor,
        );
        const youths = result.data?.youths;
        if (!youths) throw new Error(JSON.stringify(result));
        ids.push(...youths.edges.map((edge) => edge.node.id));
        if (!youths.pageInfo.hasNextPage) return ids;
        after = youths.pageInfo.endCursor;
      }
      throw new Error('more than 50 pages');
    };
    // Without the filter the advisor lists the young person (a relation through the coordinated effort).
    const unfiltered = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
      'query { youths(first: 500, filter: {ageMin: 25, ageMax: 29}) { edges { node { id } } } }',
      {},
      asAdvisor,
    );
    expect(unfiltered.data!.youths.edges.map((edge) => edge.node.id)).toContain(older);

    // No consent: in neither list, so neither says whether they are in the target group.
    expect(await listed(true)).not.toContain(older);
    expect(await listed(false)).not.toContain(older);

    await stack.gql(RECORD, { input: { youthId: older, units: ['GUIDANCE', 'SCHOOL', 'SOCIAL'] } }, { role: 'uu-counsellor' });
    const read = await stack.gql<Dossier>(DOSSIER, { id: older }, asAdvisor);
    const inGroup = (read.data!.youth!.targetGroup as { inTargetGroup: boolean }).inTargetGroup;
    // With consent: in exactly the list the field itself now answers for.
    expect(await listed(inGroup)).toContain(older);
    expect(await listed(!inGroup)).not.toContain(older);

    await stack.gql(WITHDRAW, { input: { youthId: older } }, { role: 'uu-counsellor' });
    expect(await listed(inGroup)).not.toContain(older);
  });
});
