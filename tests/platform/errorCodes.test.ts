/**
 * One registry of error codes (issue 12): every code the source raises or branches on is registered in
 * platform/errorCodes.ts, every registered code is raised somewhere, and docs/errors.md is the registry's
 * rendering. A helper who adds `code: 'SOMETHING_NEW'` without registering it fails here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, isErrorCode, type ErrorCodeInfo } from '../../platform/errorCodes.js';
import { ERRORS_DOC_FILE, renderErrorsDoc } from '../../scripts/errorsDoc.js';
import { textsFor } from '../../gateway/accessLog/subjectReportText.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where codes are raised or branched on. systems/ is left out: the simulated systems speak their own legacy REST. */
const SCANNED = ['gateway', 'subgraphs', 'platform', 'web/client', 'stack'];
const REGISTRY_FILE = 'platform/errorCodes.ts';
/** Node's and libraries' `error.code`s, compared in catch blocks: not ours to register. */
const NOT_GRAPH_CODES = /^(?:E[A-Z]+|ERR(?:_[A-Z0-9_]+)?)$/;

interface Found {
  code: string;
  file: string;
  line: number;
}

const CODE_LITERAL = String.raw`['"\`]([A-Z][A-Z0-9_]*)['"\`]`;
const CODE_CONSTANT = String.raw`([A-Z][A-Z0-9_]*)\b(?!\s*[.([])`;
/** `code: X`, `code = X`, `code === X`, `extensions['code'] === X`, with X a literal or a SCREAMING constant. */
const CODE_SLOT = new RegExp(
  String.raw`(?:\bcode\b|\[\s*['"]code['"]\s*\])\??\s*(?::|={1,3}|!==?)\s*(?:${CODE_LITERAL}|${CODE_CONSTANT})`,
  'g',
);
/** Helpers that take a code as their first or last argument. */
const CODE_ARGUMENT = [
  new RegExp(String.raw`\b(?:new\s+StoreError|isStoreError\([^,()]*,)\s*\(?\s*${CODE_LITERAL}`, 'g'),
  new RegExp(String.raw`\berrorBody\([^;]*?,\s*${CODE_LITERAL}\s*\)`, 'g'),
  new RegExp(String.raw`\buserError\(\s*${CODE_LITERAL}`, 'g'),
];
const REGISTRY_MEMBER = /\bErrorCode\.([A-Z][A-Z0-9_]*)/g;
const STRING_CONSTANT = /\bconst\s+([A-Z][A-Z0-9_]*)\s*=\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g;

function sourceFiles(dir: string): string[] {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((name) => {
    const path = join(absolute, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(relative(ROOT, path));
    return /\.tsx?$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [relative(ROOT, path)] : [];
  });
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Comments mention codes in prose ("throws BAD_USER_INPUT"); only code counts. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** The codes `sources` raise or compare against (constants resolved through `constants`, across files). */
function codesUsed(sources: ReadonlyMap<string, string>): Found[] {
  const constants = new Map<string, string>();
  for (const text of sources.values()) {
    for (const match of withoutComments(text).matchAll(STRING_CONSTANT)) constants.set(match[1]!, match[2]!);
  }
  const found: Found[] = [];
  for (const [file, raw] of sources) {
    const text = withoutComments(raw);
    const add = (code: string | undefined, index: number) => {
      if (code !== undefined && !NOT_GRAPH_CODES.test(code)) found.push({ code, file, line: lineOf(text, index) });
    };
    for (const match of text.matchAll(CODE_SLOT)) {
      if (match[1] !== undefined) add(match[1], match.index);
      else if (match[2] !== undefined && constants.has(match[2])) add(constants.get(match[2]), match.index);
    }
    for (const pattern of CODE_ARGUMENT) for (const match of text.matchAll(pattern)) add(match[1], match.index);
    for (const match of text.matchAll(REGISTRY_MEMBER)) add(match[1], match.index);
    for (const match of text.matchAll(STRING_CONSTANT)) {
      if (/CODE/.test(match[1]!)) add(match[2], match.index);
    }
  }
  return found;
}

function unregistered(found: readonly Found[]): string[] {
  return found.filter((use) => !isErrorCode(use.code)).map((use) => `${use.file}:${use.line} ${use.code}`);
}

const sources = new Map(
  SCANNED.flatMap(sourceFiles)
    .filter((file) => file !== REGISTRY_FILE)
    .map((file) => [file, readFileSync(join(ROOT, file), 'utf8')] as const),
);

describe('the error-code registry', () => {
  it('finds unregistered codes in every form a raise site takes (the scan can fail)', () => {
    const planted = new Map([
      [
        'planted.ts',
        [
          "throw new GraphQLError('x', { extensions: { code: 'MADE_UP_LITERAL' } });",
          "const MADE_UP_CODE = 'MADE_UP_CONSTANT';",
          "const SHOUT = 'MADE_UP_RESOLVED';",
          'return { error: "no", code: SHOUT };',
          "if (error.extensions?.['code'] === 'MADE_UP_COMPARED') return;",
          "throw new StoreError(\n  'MADE_UP_STORE',\n  'message');",
          "sendJson(res, 500, errorBody('Internal', 'MADE_UP_BODY'));",
          'throw userError(ErrorCode.MADE_UP_MEMBER, "x");',
          "// a comment about code: 'NOT_IN_CODE' is prose",
          "if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;",
          "throw new GraphQLError('x', { extensions: { code: ErrorCode.NOT_FOUND } });",
        ].join('\n'),
      ],
    ]);
    expect(unregistered(codesUsed(planted)).sort()).toEqual([
      'planted.ts:1 MADE_UP_LITERAL',
      'planted.ts:10 MADE_UP_MEMBER',
      'planted.ts:2 MADE_UP_CONSTANT',
      'planted.ts:4 MADE_UP_RESOLVED',
      'planted.ts:5 MADE_UP_COMPARED',
      'planted.ts:6 MADE_UP_STORE',
      'planted.ts:9 MADE_UP_BODY',
    ]);
  });

  it('registers every code the gateway, the subgraphs, the store, the access log and the platform raise or branch on', () => {
    expect(sources.size).toBeGreaterThan(50);
    const found = codesUsed(sources);
    // The scan sees the known raise sites, so an empty result is not a scan that found nothing.
    for (const code of [
      'UNAUTHENTICATED',
      'SUBGRAPH_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
      'ACCESS_LOG_UNAVAILABLE',
      'CASELOAD_FULL',
      'QUERY_TOO_COMPLEX',
    ]) {
      expect(found.map((use) => use.code)).toContain(code);
    }
    expect(unregistered(found)).toEqual([]);
  });

  it('raises every registered code somewhere (no stale entries), unless Apollo raises it or it is retired', () => {
    const everything = [...sources.values()].join('\n');
    const stale = (Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeInfo][])
      .filter(([, info]) => !info.retired && !/Apollo Server|@apollo\/gateway/.test(info.raisedBy))
      .map(([code]) => code)
      .filter((code) => !new RegExp(String.raw`ErrorCode\.${code}\b|['"\`]${code}['"\`]`).test(everything));
    expect(stale).toEqual([]);
  });

  it('names only modules that exist as the raisers', () => {
    const named = Object.entries(ERROR_CODES).flatMap(([code, info]) =>
      [...(info as ErrorCodeInfo).raisedBy.matchAll(/(?<![@\w.-])[\w-]+(?:\/[\w.-]+)*(?:\.ts|\/)(?![\w])/g)].map((match) => ({
        code,
        path: match[0],
      })),
    );
    expect(named.length, 'the raisers name modules the check can see').toBeGreaterThan(10);
    const missing = named.filter(({ path }) => !existsSync(join(ROOT, path))).map(({ code, path }) => `${code}: ${path}`);
    expect(missing).toEqual([]);
  });

  it('gives each code its own name as the constant, and a one-line meaning', () => {
    for (const [code, info] of Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeInfo][]) {
      expect(ErrorCode[code]).toBe(code);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]{0,63}$/);
      expect(info.meaning).not.toMatch(/\n/);
      expect(info.status === null || (info.status >= 200 && info.status < 600)).toBe(true);
    }
  });

  it('has a name for every code the subject report translates', () => {
    for (const language of ['da', 'en'] as const) {
      expect(Object.keys(textsFor(language).errorCodes).length, language).toBeGreaterThan(0);
      expect(Object.keys(textsFor(language).errorCodes).filter((code) => !isErrorCode(code))).toEqual([]);
    }
  });

  it('is what docs/errors.md lists (npm run errors:doc rewrites it)', () => {
    const committed = readFileSync(join(ROOT, ERRORS_DOC_FILE), 'utf8').replace(/\r\n/g, '\n');
    expect(committed).toBe(renderErrorsDoc());
    for (const code of Object.keys(ERROR_CODES)) expect(committed).toContain(`| \`${code}\` |`);
  });
});
