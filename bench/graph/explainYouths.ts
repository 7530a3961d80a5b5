/**
 * EXPLAIN ANALYZE of the `youths` list's own SQL (store/screening.ts queryScreening, unchanged) over a
 * register the national benchmark built: the store runs against a database whose SELECTs are explained
 * instead of answered, so the plans are of exactly the statements a page runs (the page, and the count
 * when it is not kept: store/screeningCount.ts). For bench/graph/README.md ("National scale").
 */
import type { Database, Queryable, QueryResult, Transaction } from '../../platform/db/database.js';
import { openDatabase } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logger.js';
import { queryScreening } from '../../subgraphs/coordination/store/screening.js';
import type { ScreeningQuery } from '../../subgraphs/coordination/store/types.js';

export interface ExplainedQuery {
  name: string;
  /** The page's statement, then the count's. */
  statements: { plan: string[]; executionMs: number }[];
}

/** `db` with every SELECT explained (ANALYZE: really run) and answered with no rows. */
function explaining(db: Database, plans: string[][]): Database {
  const explain = (target: Queryable) => ({
    async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      if (!/^\s*SELECT/i.test(sql)) return target.query<T>(sql, params);
      const { rows } = await target.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      plans.push(rows.map((row) => row['QUERY PLAN']));
      return { rows: [] };
    },
  });
  return {
    kind: db.kind,
    schema: db.schema,
    ...explain(db),
    transaction: (fn, options) => db.transaction((tx: Transaction) => fn({ ...explain(tx), exec: (sql) => tx.exec(sql) }), options),
    close: () => db.close(),
  };
}

export async function explainYouths(url: string, schema: string, asOf: string): Promise<ExplainedQuery[]> {
  const db = await openDatabase({ url, dataDir: 'memory://', logger: createLogger('bench-explain'), schema, poolSize: 1 });
  try {
    // No ANALYZE here: the plans are of the statistics the live pages had (the rebuild's own, screeningStaging.ts).
    const middle = (
      await db.query<{ youth_id: string }>(
        'SELECT youth_id FROM youth_screening ORDER BY youth_id OFFSET (SELECT count(*) / 2 FROM youth_screening) LIMIT 1',
      )
    ).rows[0]?.youth_id;
    const { rows: institutions } = await db.query<{ id: string }>(
      `SELECT unnest(institution_ids) AS id FROM youth_screening WHERE cardinality(institution_ids) > 0 LIMIT 1`,
    );
    const counsellor = { caller: { role: 'uu-counsellor' as const, institution: null, unit: 'UU', staffId: null }, today: asOf };
    const shapes: [string, Partial<ScreeningQuery>][] = [
      ['register order, first page', {}],
      ['register order, deep keyset page (half-way)', { after: middle }],
      ['inTargetGroup', { inTargetGroup: true }],
      ['indicator NOT_IN_EDUCATION', { indicator: 'NOT_IN_EDUCATION' }],
      ['ageMin 18, ageMax 24', { ageMin: 18, ageMax: 24 }],
      ['schoolId S-0001', { schoolId: 'S-0001' }],
      [`institution ${institutions[0]?.id ?? 'I-101'} (a partner's list)`, { institutionId: institutions[0]?.id ?? 'I-101' }],
      ['orderBy NAME', { order: 'NAME' }],
      ['orderBy NAME, inTargetGroup', { order: 'NAME', inTargetGroup: true }],
      ["a UU counsellor's list (need to know), first page", { relation: counsellor }],
      ["a UU counsellor's list, inTargetGroup", { relation: counsellor, inTargetGroup: true }],
      ["a UU counsellor's list, indicator NOT_IN_EDUCATION", { relation: counsellor, indicator: 'NOT_IN_EDUCATION' }],
      ["a UU counsellor's list, ageMin 18, ageMax 24", { relation: counsellor, ageMin: 18, ageMax: 24 }],
    ];
    const explained: ExplainedQuery[] = [];
    for (const [name, shape] of shapes) {
      const plans: string[][] = [];
      await queryScreening(explaining(db, plans), { asOf, first: 100, ...shape });
      explained.push({
        name,
        statements: plans.map((plan) => ({
          plan,
          executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1) ?? '')?.[1] ?? NaN),
        })),
      });
    }
    return explained;
  } finally {
    await db.close();
  }
}
