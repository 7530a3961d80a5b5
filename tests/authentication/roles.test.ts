/**
 * The roles and scopes of platform/authorization/roles.ts, and the proof that docs/access.md says the same:
 * the tables are parsed from the document, so neither can change without the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasScopes, isRoleName, isScope, categoryOf, ROLE_NAMES, ROLES, SCOPES, SCOPE_NAMES } from '../../platform/authorization/roles.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'access.md'), 'utf8');

/** The table rows (cells, trimmed) of the section whose heading starts with `heading`. */
function tableOf(heading: string): string[][] {
  const start = doc.split('\n').findIndex((line) => line.startsWith(`## ${heading}`));
  expect(start, `section "## ${heading}" in docs/access.md`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of doc.split('\n').slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^-+$/.test(cell))) continue; // the |---| line
    rows.push(cells);
  }
  return rows.slice(1); // without the header row
}

const code = (cell: string) => /^`([^`]+)`/.exec(cell)?.[1];

describe('docs/access.md and roles.ts', () => {
  it('list the same scopes with the same categories', () => {
    const documented = tableOf('Scopes').map(([scope, category]) => ({ scope: code(scope ?? ''), category }));
    expect(documented).toEqual(SCOPES.map(({ scope, category }) => ({ scope, category })));
  });

  it('list the same roles with the same scopes', () => {
    const documented = Object.fromEntries(
      tableOf('Roles').map(([role, scopes]): [string, string[]] => [
        code(role ?? '') ?? '',
        (scopes ?? '').match(/[a-z-]+:[a-z-]+/g) ?? [],
      ]),
    );
    const actual = Object.fromEntries(ROLE_NAMES.map((name) => [name, ROLES[name].scopes]));
    expect(documented).toEqual(actual);
  });

  it('describe each role by the title the document gives it', () => {
    for (const [role, _scopes] of tableOf('Roles')) {
      const title = /\(([^)]+)\)/.exec(role ?? '')?.[1];
      const name = code(role ?? '');
      if (title && name && isRoleName(name)) expect(ROLES[name].description).toContain(title);
    }
  });
});

describe('roles', () => {
  it('only grant known scopes, and every role has a purpose', () => {
    for (const name of ROLE_NAMES) {
      for (const scope of ROLES[name].scopes) expect(SCOPE_NAMES.has(scope)).toBe(true);
      expect(ROLES[name].defaultPurpose.length).toBeGreaterThan(0);
    }
  });

  it('look up names and categories', () => {
    expect(isRoleName('auditor')).toBe(true);
    expect(isRoleName('toString')).toBe(false);
    expect(isScope('youth:cpr')).toBe(true);
    expect(isScope('youth:*')).toBe(false);
    expect(categoryOf('social:summary')).toBe('social in summary');
  });
});

describe('hasScopes (outer list ORs, inner list ANDs)', () => {
  const granted = new Set(['youth:identity', 'school:read', 'guidance:read']);

  it('needs every scope of one inner list', () => {
    expect(hasScopes(granted, [['youth:identity', 'school:read']])).toBe(true);
    expect(hasScopes(granted, [['youth:identity', 'social:summary']])).toBe(false);
  });

  it('is satisfied by any inner list', () => {
    expect(hasScopes(granted, [['social:read'], ['guidance:read']])).toBe(true);
    expect(hasScopes(granted, [['social:read'], ['partner:education']])).toBe(false);
  });

  it('grants nothing for an empty rule or an empty inner list', () => {
    expect(hasScopes(granted, [])).toBe(false);
    expect(hasScopes(granted, [[]])).toBe(false);
    expect(hasScopes(new Set(), [['youth:identity']])).toBe(false);
  });
});
