import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  checkPartnerRequest,
  ManifestError,
  MANIFEST_FORMAT,
  NOT_FOUND,
  NOT_IN_SAFELIST,
  safelistFrom,
} from '../../gateway/persistedOperations.js';
import { sha256Hex } from '../../platform/hash.js';
import { renderPartnerManifest } from '../../scripts/persisted-manifest.js';

describe('the manifest', () => {
  it('has one entry per named operation, carrying the fragments it uses, with the SHA-256 of its body as id', () => {
    const manifest = buildManifest([
      { source: 'a.graphql', text: 'query B($id: ID!) { youth(id: $id) { ...F } }\nquery A { youths { totalCount } }' },
      { source: 'f.graphql', text: 'fragment F on Youth { id ...G }\nfragment G on Youth { firstName }\nfragment Unused on Youth { age }' },
    ]);
    expect(manifest.format).toBe(MANIFEST_FORMAT);
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((o) => o.name)).toEqual(['A', 'B']);
    const b = manifest.operations[1]!;
    expect(b.type).toBe('query');
    expect(b.body).toContain('fragment F on Youth');
    expect(b.body).toContain('fragment G on Youth');
    expect(b.body).not.toContain('Unused');
    expect(b.id).toBe(sha256Hex(b.body));
    expect(manifest.operations[0]!.body).not.toContain('fragment');
  });

  it('refuses anonymous or duplicate operations and missing fragments', () => {
    expect(() => buildManifest([{ source: 'x', text: '{ youths { totalCount } }' }])).toThrow(ManifestError);
    expect(() =>
      buildManifest([
        { source: 'x', text: 'query A { a }' },
        { source: 'y', text: 'query A { b }' },
      ]),
    ).toThrow(/twice/);
    expect(() => buildManifest([{ source: 'x', text: 'query A { ...Missing }' }])).toThrow(/Missing/);
  });

  it('is read only when every id is the hash of its body', () => {
    expect(() =>
      safelistFrom({ format: MANIFEST_FORMAT, version: 1, operations: [{ id: 'abc', name: 'A', type: 'query', body: '{ a }' }] }),
    ).toThrow(/SHA-256/);
    expect(() => safelistFrom({ format: 'other', version: 1, operations: [] })).toThrow(ManifestError);
  });

  it('committed in operations/ is what the partner documents generate (npm run persisted:check)', async () => {
    const committed = readFileSync(new URL('../../operations/partner-manifest.json', import.meta.url), 'utf8');
    expect(await renderPartnerManifest()).toBe(committed);
    const names = safelistFrom(JSON.parse(committed)).byId;
    expect([...names.values()].map((o) => o.name).sort()).toEqual(['PartnerEducationPlan', 'PartnerYoungPeople']);
  });
});

describe('a partner request against the safelist', () => {
  const manifest = buildManifest([{ source: 'p.graphql', text: 'query Listed { youths { totalCount } }' }]);
  const listed = manifest.operations[0]!;
  const safelist = safelistFrom(manifest);
  const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

  it('runs a listed operation by id, or by its exact body', () => {
    expect(checkPartnerRequest(safelist, { extensions: persisted(listed.id) })).toEqual({ body: listed.body });
    expect(checkPartnerRequest(safelist, { query: listed.body, extensions: persisted(listed.id) })).toEqual({ body: listed.body });
    expect(checkPartnerRequest(safelist, { query: listed.body })).toEqual({ body: listed.body });
  });

  it('refuses anything else', () => {
    const other = '{ youths { totalCount edges { node { id } } } }';
    expect(checkPartnerRequest(safelist, { query: other })).toEqual({ refused: NOT_IN_SAFELIST });
    // The listed text with changed whitespace is another document.
    expect(checkPartnerRequest(safelist, { query: `${listed.body} ` })).toEqual({ refused: NOT_IN_SAFELIST });
    // Registering a document of one's own (APQ) is not for partners.
    expect(checkPartnerRequest(safelist, { query: other, extensions: persisted(sha256Hex(other)) })).toEqual({ refused: NOT_IN_SAFELIST });
    // A listed id with another document under it.
    expect(checkPartnerRequest(safelist, { query: other, extensions: persisted(listed.id) })).toEqual({ refused: NOT_IN_SAFELIST });
    expect(checkPartnerRequest(safelist, { extensions: persisted('0'.repeat(64)) })).toEqual({ refused: NOT_FOUND });
    expect(checkPartnerRequest(safelist, {})).toEqual({ refused: NOT_FOUND });
  });
});
