/**
 * docs/access.md's need-to-know tables are parsed and compared with platform/authorization/relation.ts and the
 * roles' scopes, so the document and the rule cannot drift apart (as tests/authentication/roles.test.ts does for
 * the roles and scopes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELATION_CATEGORIES, RELATION_KINDS, ROLE_RELATIONS, ROLE_UNITS, opensCategory } from '../../platform/authorization/relation.js';
import { ROLES, categoryOf, isRoleName } from '../../platform/authorization/roles.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'access.md'), 'utf8');

/** The tables of the section headed exactly `heading`: rows of trimmed cells, header row first. */
function tablesOf(heading: string): string[][][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line === `## ${heading}`);
  expect(start, `section "## ${heading}" in docs/access.md`).toBeGreaterThanOrEqual(0);
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^-+$/.test(cell))) continue;
    if (!current) tables.push((current = []));
    current.push(cells);
  }
  return tables;
}

const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/access.md, need to know', () => {
  it('names the units and relations of each role as relation.ts does', () => {
    const [roles] = tablesOf('Need to know (municipal staff)');
    const rows = roles!.slice(1);
    expect(Object.fromEntries(rows.map(([role, units]) => [codes(role!)[0], codes(units!)]))).toEqual(ROLE_UNITS);
    expect(Object.fromEntries(rows.map(([role, , , relations]) => [codes(role!)[0], codes(relations!)]))).toEqual(ROLE_RELATIONS);
  });

  it('lists the categories each relation opens as relation.ts does', () => {
    const [relations] = tablesOf('Need to know: categories per relation');
    const documented = Object.fromEntries(
      relations!
        .slice(1)
        .map(([kind, categories]): [string, 'all' | string[]] => [
          codes(kind!)[0] ?? '',
          categories === 'all' ? 'all' : categories!.split(', '),
        ]),
    );
    expect(documented).toEqual(RELATION_CATEGORIES);
    expect(Object.keys(documented)).toEqual([...RELATION_KINDS]);
  });

  it("per role and category: the role's scopes decide whether at all, its relations which ones open it", () => {
    const [, matrix] = tablesOf('Need to know: categories per relation');
    const [header, ...rows] = matrix!;
    const categories = header!.slice(1);
    expect(categories.length).toBeGreaterThan(0);
    expect(rows.map(([roleCell]) => codes(roleCell!)[0]).sort()).toEqual(Object.keys(ROLE_RELATIONS).sort());
    const derivedScopes: Record<string, string[][]> = {
      'target group': [['youth:identity', 'school:read', 'guidance:read', 'social:summary']],
      'coordinated plan': [['plan:read', 'youth:identity', 'school:read', 'guidance:read', 'jobcenter:read', 'social:summary']],
    };
    for (const [roleCell, ...cells] of rows) {
      const role = codes(roleCell!)[0]!;
      expect(isRoleName(role)).toBe(true);
      const scopes = new Set<string>(isRoleName(role) ? ROLES[role].scopes : []);
      categories.forEach((category, i) => {
        const derived = derivedScopes[category];
        const inScopes = derived
          ? derived.some((all) => all.every((scope) => scopes.has(scope)))
          : [...scopes].some((scope) => categoryOf(scope as Parameters<typeof categoryOf>[0]) === category);
        const relations = (ROLE_RELATIONS[role] ?? []).filter((kind) => opensCategory(kind, category));
        const expected = !inScopes ? '-' : relations.includes('STATUTORY') ? '✓ S' : '✓';
        expect(cells[i], `${role} × ${category}`).toBe(expected);
      });
    }
  });
});
