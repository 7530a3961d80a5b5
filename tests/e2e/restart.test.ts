import { describe, expect, it } from 'vitest';
import { startTestStack } from './testStack.js';

describe('a restart loses nothing', () => {
  it('keeps assignments, plan actions and the register across a restart on the same store', async () => {
    const first = await startTestStack();
    let dataDir = first.dataDir;
    let schema = first.schema;
    try {
      const eligible = await first.gql<{ youths: { edges: { node: { id: string } }[] } }>(
        '{ youths(filter: { contactPersonStatus: ELIGIBLE }, first: 1) { edges { node { id } } } }',
        {},
        { role: 'uu-counsellor' },
      );
      const youthId = eligible.data!.youths.edges[0]!.node.id;
      const assigned = await first.gql<{ assignContactPerson: { id: string } }>(
        'mutation ($y: ID!) { assignContactPerson(input: { youthId: $y, contactPersonId: "gkp-mette-kjaer" }) { id } }',
        { y: youthId },
        { role: 'uu-counsellor', youth: youthId },
      );
      expect(assigned.errors).toBeUndefined();
      await first.gql(
        'mutation ($y: ID!) { addPlanAction(input: { youthId: $y, title: "Meeting at 16½", ownerUnit: SOCIAL }) { id } }',
        {
          y: youthId,
        },
        { role: 'uu-counsellor', youth: youthId },
      );
      await first.shutdown({ keepData: true });

      const second = await startTestStack({ dataDir, schema, stack: { awaitScreening: false } });
      dataDir = second.dataDir;
      schema = second.schema;
      try {
        const after = await second.gql<{
          youth: { contactPerson: { id: string }; coordinatedPlan: { agreedActions: { title: string }[] } };
        }>(
          'query ($y: ID!) { youth(id: $y) { contactPerson { id } coordinatedPlan { agreedActions { title } } } }',
          { y: youthId },
          { role: 'uu-counsellor', youth: youthId },
        );
        expect(after.errors).toBeUndefined();
        expect(after.data!.youth.contactPerson.id).toBe(assigned.data!.assignContactPerson.id);
        expect(after.data!.youth.coordinatedPlan.agreedActions.map((a) => a.title)).toEqual(['Meeting at 16½']);
        // The register from the first run answers lists before the new screening has finished.
        const listed = await second.gql<{ youths: { totalCount: number } }>('{ youths { totalCount } }', {}, { role: 'uu-counsellor' });
        expect(listed.data!.youths.totalCount).toBeGreaterThan(0);
      } finally {
        await second.shutdown();
      }
    } catch (error) {
      await first.shutdown().catch(() => undefined);
      throw error;
    }
  });
});
