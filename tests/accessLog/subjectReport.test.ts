import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogRecord } from '../../gateway/accessLog/store.js';
import type { SubjectReport } from '../../gateway/accessLog/subjectReport.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSubjectReportHtml } from '../../gateway/accessLog/subjectReportHtml.js';
import { main as subjectReportCli } from '../../scripts/subject-report.js';
import { startTestStack, type TestStack } from '../e2e/testStack.js';

/**
 * Issue 14, section 3: an auditor produces, for one young person, what the graph holds about them and
 * every access to their data with its legal basis (GET /audit/subject-report, JSON and print-ready
 * HTML); the access log records a legal basis per category for every granted read, decided by rule from
 * the caller's verified organisation and the young person's age and consent, not from the request.
 */
describe('subject access report and legal basis in the access log (issue 14)', () => {
  let stack: TestStack;
  let base: string;
  let younger: string;
  /** Young people the jobcenter advisor has a relation to (need to know), under 25 and 25-29. */
  let advisorsYounger: string;
  let advisorsOlder: string;

  const get = async (path: string, role: 'auditor' | 'uu-counsellor' | 'youth' = 'auditor') =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await stack.tokenFor(role)}` } });
  const logOf = async (youthId: string): Promise<AccessLogRecord[]> => {
    const response = await get(`/audit/access-log?youthId=${encodeURIComponent(youthId)}&first=100`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: AccessLogRecord[] }).entries;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const list = async (ageMin: number, ageMax: number, role: 'uu-counsellor' | 'jobcenter-advisor' = 'uu-counsellor') => {
      const result = await stack.gql<{ youths: { edges: { node: { id: string } }[] } }>(
        'query ($f: YouthFilter) { youths(first: 5, filter: $f) { edges { node { id } } } }',
        { f: { ageMin, ageMax } },
        { role },
      );
      if (!result.data?.youths) throw new Error(JSON.stringify(result.errors));
      return result.data.youths.edges.map((edge) => edge.node.id);
    };
    younger = (await list(16, 20))[0]!;
    advisorsYounger = (await list(18, 24, 'jobcenter-advisor'))[0]!;
    advisorsOlder = (await list(25, 29, 'jobcenter-advisor'))[0]!;
  }, 120_000);

  afterAll(async () => {
    await stack?.shutdown();
  });

  it('records the legal basis of each category by rule: own unit, youth effort under 25, consent from 25', async () => {
    const read = 'query ($id: ID!) { youth(id: $id) { firstName school { grade } jobcenter { category } guidance { activity } } }';
    await stack.gql(read, { id: advisorsYounger }, { role: 'jobcenter-advisor', headers: { 'x-purpose': 'legal basis: I say CONSENT' } });
    const [entry] = (await logOf(advisorsYounger)).filter((e) => e.role === 'jobcenter-advisor');
    expect(entry?.legalBases).toMatchObject({
      identity: 'YOUTH_EFFORT',
      school: 'YOUTH_EFFORT',
      jobcenter: 'OWN_UNIT',
      'guidance (UU)': 'YOUTH_EFFORT',
    });

    await stack.gql(
      'mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
      { input: { youthId: advisorsOlder, units: ['GUIDANCE'] } },
      { role: 'uu-counsellor' },
    );
    await stack.gql(read, { id: advisorsOlder }, { role: 'jobcenter-advisor' });
    const entries = await logOf(advisorsOlder);
    const advisorRead = entries.find((e) => e.role === 'jobcenter-advisor' && e.outcome !== 'DENIED');
    expect(advisorRead?.legalBases).toMatchObject({ identity: 'MUNICIPAL_EXTENSION', jobcenter: 'OWN_UNIT', 'guidance (UU)': 'CONSENT' });
    // School was withheld (no consent covers it): it is neither released nor given a basis.
    expect(advisorRead?.legalBases).not.toHaveProperty('school');
    // The consent mutation is logged against the young person although its answer selected only an id.
    const recording = entries.find((e) => e.fields.includes('Mutation.recordConsent'));
    expect(recording?.role).toBe('uu-counsellor');
    expect(recording?.categories).toContain('consent');
    expect(recording?.legalBases).toMatchObject({ consent: 'MUNICIPAL_EXTENSION' });
    await stack.gql(
      'mutation ($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }',
      { input: { youthId: advisorsOlder } },
      { role: 'uu-counsellor' },
    );
    expect((await logOf(advisorsOlder)).some((e) => e.fields.includes('Mutation.withdrawConsent'))).toBe(true);
  });

  it('gives an auditor the dossier and every access with its legal basis, as JSON', async () => {
    await stack.gql('query ($id: ID!) { youth(id: $id) { firstName guidance { activity } } }', { id: younger }, { role: 'uu-counsellor' });
    const response = await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}&format=json`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as SubjectReport;
    expect(report.youthId).toBe(younger);
    expect(typeof report.dossier?.['firstName']).toBe('string');
    expect(report.dossier).toMatchObject({
      id: younger,
      consent: { required: false, status: 'NOT_REQUIRED' },
    });
    expect(report.dossier?.['guidance']).not.toBeNull();
    const counsellor = report.accesses.find((a) => a.role === 'uu-counsellor');
    expect(counsellor).toMatchObject({ organisation: 'aalborg/uu', legalBases: { 'guidance (UU)': 'OWN_UNIT' } });
    // The young person's view: role and organisation, never a staff member's id.
    expect(JSON.stringify(report.accesses)).not.toContain('e2e-uu-counsellor');
    // The report's own read is on record: the auditor's request and the dossier read it made.
    const entries = await logOf(younger);
    expect(entries.some((e) => e.role === 'auditor' && e.fields.includes('subject_report'))).toBe(true);
    expect(
      entries.some((e) => e.role === 'youth' && e.purpose.includes('e2e-auditor') && e.legalBases?.['school'] === 'SUBJECT_ACCESS'),
    ).toBe(true);
  });

  it('renders print-ready HTML without scripts, Danish by default and English on request', async () => {
    const da = await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}`);
    expect(da.status).toBe(200);
    expect(da.headers.get('content-type')).toContain('text/html');
    expect(da.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await da.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('Hvem har set oplysningerne');
    expect(html).toContain('@page');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    const en = await (await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}&lang=en`)).text();
    expect(en).toContain('Who has seen the data');
  });

  it('refuses without audit:read, and bad parameters with 400', async () => {
    expect((await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}`, 'uu-counsellor')).status).toBe(403);
    expect((await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}`, 'youth')).status).toBe(403);
    expect((await get('/audit/subject-report')).status).toBe(400);
    expect((await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}&format=pdf`)).status).toBe(400);
    expect((await get(`/audit/subject-report?youthId=${encodeURIComponent(younger)}&evil=1`)).status).toBe(400);
  });

  it('npm run subject-report writes the HTML or JSON file, and refuses a bad command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subject-report-'));
    try {
      const token = await stack.tokenFor('auditor');
      const html = join(dir, 'r.html');
      expect(await subjectReportCli([younger, '--out', html, '--url', base, '--token', token], {})).toBe(0);
      expect(readFileSync(html, 'utf8')).toContain('<html lang="da">');
      const json = join(dir, 'r.json');
      expect(await subjectReportCli([younger, '--json', '--out', json, '--url', base, '--token', token], {})).toBe(0);
      expect((JSON.parse(readFileSync(json, 'utf8')) as SubjectReport).youthId).toBe(younger);
      expect(await subjectReportCli(['--bogus'], {})).toBe(2);
      expect(await subjectReportCli([], {})).toBe(2);
      expect(await subjectReportCli([younger, '--lang', 'fr'], {})).toBe(2);
      const partner = await stack.tokenFor('partner-institution', 'I-104');
      expect(await subjectReportCli([younger, '--out', html, '--url', base, '--token', partner], {})).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes what it renders', () => {
    const html = renderSubjectReportHtml({
      youthId: 'y1',
      generatedAt: '2026-11-01T00:00:00.000Z',
      generatedBy: '<img src=x onerror=alert(1)>',
      retentionDays: 1825,
      coveredFrom: '2021-11-02T00:00:00.000Z',
      dossier: { id: 'y1', firstName: '<script>alert(1)</script>', guidance: { educationPlan: { goal: 'a & b' } } },
      withheld: [{ path: 'school', code: 'CONSENT_REQUIRED' }],
      accesses: [],
      accessesTruncated: false,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('kræver samtykke');
  });
});
