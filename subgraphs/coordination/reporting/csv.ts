/**
 * Every table of the report as CSV (issue 15 s3), for a spreadsheet: `Report.csv` and `npm run report --
 * --csv DIR` (which asks for that field). Pure: it writes the cells the report already published, so the
 * suppression and rounding are the report's own, cell for cell: a suppressed count reads `<5`, a share
 * with nothing to divide is empty. Codes (indicators, transitions, reasons) stay codes, so a sheet
 * built on them survives a change of wording; only the headers follow the locale.
 *
 * EN: comma, decimal point, ISO dates. DA (a Danish Excel opens it as is): semicolon, decimal comma,
 * dates dd-mm-yyyy, Danish headers. Lines end CRLF and fields are quoted as RFC 4180 says; a text cell
 * that a spreadsheet would take for a formula (= + - @) gets a leading apostrophe.
 */
import type { PublishedCount, PublishedShare } from './suppression.js';
import type { CapacityReport, HandoverCounts, HandoverReport, OutcomeReport, TargetGroupReport } from './reports.js';
import type { MonthlyMeasures } from './measures.js';
import { ASSIGNMENT_END_CODES } from '../store/types.js';

export type CsvLocale = 'EN' | 'DA';

export interface CsvTable {
  table: string;
  fileName: string;
  columns: string[];
  content: string;
}

type Value =
  | { count: PublishedCount }
  | { share: PublishedShare }
  | { number: number | null }
  | { date: string | null }
  | { text: string | null }
  | { flag: boolean };

/** A column: its stable key (the English header) and its Danish header. */
type Column = readonly [en: string, da: string];

interface TableSpec {
  name: string;
  columns: readonly Column[];
  rows: Value[][];
}

const count = (c: PublishedCount): Value => ({ count: c });
const share = (s: PublishedShare): Value => ({ share: s });
const text = (t: string | null): Value => ({ text: t });
const num = (n: number | null): Value => ({ number: n });

function format(value: Value, locale: CsvLocale): string {
  const decimal = (n: number) => (locale === 'DA' ? String(n).replace('.', ',') : String(n));
  if ('count' in value) return value.count.suppressed ? '<5' : value.count.value === null ? '' : String(value.count.value);
  if ('share' in value) {
    if (value.share.suppressed) return '<5';
    return value.share.value === null ? '' : decimal(value.share.value);
  }
  if ('number' in value) return value.number === null ? '' : decimal(value.number);
  if ('date' in value) {
    if (value.date === null) return '';
    return locale === 'DA' ? `${value.date.slice(8, 10)}-${value.date.slice(5, 7)}-${value.date.slice(0, 4)}` : value.date;
  }
  if ('flag' in value) return locale === 'DA' ? (value.flag ? 'ja' : 'nej') : value.flag ? 'yes' : 'no';
  const t = value.text ?? '';
  return /^[=+\-@]/.test(t) ? `'${t}` : t;
}

function quote(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** One table as a CSV file in the locale. */
export function renderCsv(spec: TableSpec, locale: CsvLocale): CsvTable {
  const separator = locale === 'DA' ? ';' : ',';
  const columns = spec.columns.map(([en, da]) => (locale === 'DA' ? da : en));
  const lines = [columns, ...spec.rows.map((row) => row.map((value) => format(value, locale)))].map((fields) =>
    fields.map((field) => quote(field, separator)).join(separator),
  );
  return { table: spec.name, fileName: `${spec.name}.csv`, columns, content: `${lines.join('\r\n')}\r\n` };
}

// ---------------------------------------------------------------- the report's tables

export interface CsvReport {
  asOf: string;
  targetGroup: TargetGroupReport;
  contactPersonCapacity: CapacityReport;
  handovers: HandoverReport;
  outcomes: OutcomeReport;
  measureSeries: MonthlyMeasures[];
}

const HANDOVER_COLUMNS: readonly Column[] = [
  ['due', 'forfaldne'],
  ['pastDue', 'forfaldet_til_dato'],
  ['onTime', 'rettidige'],
  ['late', 'for_sene'],
  ['missing', 'mangler'],
  ['notYetDue', 'ikke_forfaldne_endnu'],
  ['onTimeShare', 'andel_rettidige'],
  ['goal', 'maal'],
];

function handoverValues(c: HandoverCounts): Value[] {
  return [
    count(c.due),
    count(c.pastDue),
    count(c.onTime),
    count(c.late),
    count(c.missing),
    count(c.notYetDue),
    share(c.onTimeShare),
    num(c.onTimeShare.goal),
  ];
}

const nullCount: PublishedCount = { value: null, suppressed: false };
const nullShare: PublishedShare = { value: null, goal: null, suppressed: false };

function seriesRow(m: MonthlyMeasures): Value[] {
  const goal = m.educationGoalInOpenCases;
  const meetings = m.meetingsInUddannelseshuset;
  const cohort = m.youthEducationAt25;
  const cp = m.contactPersons;
  const opt = (c: PublishedCount | undefined) => count(c ?? nullCount);
  const optShare = (s: PublishedShare | undefined) => share(s ?? nullShare);
  return [
    { date: m.month },
    text(m.source),
    count(m.handoverAt18.due),
    count(m.handoverAt18.onTime),
    count(m.handoverAt18.late),
    count(m.handoverAt18.missing),
    share(m.handoverAt18.onTimeShare),
    opt(goal?.openCases),
    opt(goal?.withEducationGoal),
    optShare(goal?.share),
    opt(meetings?.meetings),
    opt(meetings?.inUddannelseshuset),
    optShare(meetings?.share),
    count(m.jointDecisions),
    opt(cohort?.aged25),
    opt(cohort?.completed),
    opt(cohort?.underWay),
    optShare(cohort?.completedShare),
    optShare(cohort?.underWayShare),
    count(cp.active),
    count(cp.byRule),
    count(cp.byJudgement),
    num(cp.contactPersonsWithCaseload),
    num(cp.caseloadPerPerson),
    share(cp.capacityUse),
    count(cp.ended),
    ...cp.endedByReason.map((r) => count(r.count)),
  ];
}

/** The measure series' columns (a null measure's cells are empty, a suppressed one's `<5`). */
export const SERIES_COLUMNS: readonly Column[] = [
  ['month', 'maaned'],
  ['source', 'kilde'],
  ['handover18Due', 'overdragelse18_forfaldne'],
  ['handover18OnTime', 'overdragelse18_rettidige'],
  ['handover18Late', 'overdragelse18_for_sene'],
  ['handover18Missing', 'overdragelse18_mangler'],
  ['handover18OnTimeShare', 'overdragelse18_andel_rettidige'],
  ['openSocialCases', 'aabne_socialsager'],
  ['withEducationGoal', 'med_uddannelsesmaal'],
  ['educationGoalShare', 'andel_med_uddannelsesmaal'],
  ['meetings', 'moeder'],
  ['meetingsInUddannelseshuset', 'moeder_i_uddannelseshuset'],
  ['meetingsInUddannelseshusetShare', 'andel_i_uddannelseshuset'],
  ['jointDecisions', 'faelles_afgoerelser'],
  ['aged25', 'aargang_25_aar'],
  ['completedAt25', 'med_ungdomsuddannelse'],
  ['underWayAt25', 'godt_paa_vej'],
  ['completedShare', 'andel_med_ungdomsuddannelse'],
  ['underWayShare', 'andel_godt_paa_vej'],
  ['contactPersonAssignments', 'kontaktpersonforloeb_aktive'],
  ['byRule', 'efter_reglerne'],
  ['byJudgement', 'efter_faglig_vurdering'],
  ['contactPersonsWithCaseload', 'kontaktpersoner_med_sager'],
  ['caseloadPerPerson', 'sager_pr_kontaktperson'],
  ['capacityUse', 'udnyttelse_af_finansieret_kapacitet'],
  ['ended', 'afsluttede'],
  ...ASSIGNMENT_END_CODES.map((code) => [`ended_${code}`, `afsluttet_${code}`] as const),
];

/** Every table of the report, in the order the HTML report shows them. */
export function reportCsvTables(report: CsvReport, locale: CsvLocale): CsvTable[] {
  const tg = report.targetGroup;
  const cap = report.contactPersonCapacity;
  const h = report.handovers;
  const o = report.outcomes;
  const at25 = o.youthEducationAt25;
  const specs: TableSpec[] = [
    {
      name: 'target-group',
      columns: [
        ['measure', 'maal'],
        ['count', 'antal'],
      ],
      rows: (
        [
          ['screened', tg.screened],
          ['inTargetGroup', tg.inTargetGroup],
          ['notInTargetGroup', tg.notInTargetGroup],
          ['pupils', tg.bySchool.pupils],
          ['notPupils', tg.bySchool.notPupils],
        ] as const
      ).map(([key, c]) => [text(key), count(c)]),
    },
    {
      name: 'indicators',
      columns: [
        ['indicator', 'indikator'],
        ['count', 'antal'],
      ],
      rows: tg.byIndicator.map((i) => [text(i.indicator), count(i.count)]),
    },
    {
      name: 'combinations',
      columns: [
        ['indicators', 'indikatorer'],
        ['count', 'antal'],
      ],
      rows: tg.combinations.map((c) => [text(c.indicators.join('+')), count(c.count)]),
    },
    {
      name: 'pairs',
      columns: [
        ['first', 'foerste'],
        ['second', 'anden'],
        ['count', 'antal'],
      ],
      rows: tg.pairs.map((p) => [text(p.first), text(p.second), count(p.count)]),
    },
    {
      name: 'age-bands',
      columns: [
        ['band', 'aldersgruppe'],
        ['count', 'antal'],
      ],
      rows: tg.byAgeBand.map((b) => [text(b.band), count(b.count)]),
    },
    {
      name: 'schools',
      columns: [
        ['schoolId', 'skole'],
        ['count', 'antal'],
      ],
      rows: tg.bySchool.schools.map((s) => [text(s.schoolId), count(s.count)]),
    },
    {
      name: 'capacity',
      columns: [
        ['funded', 'finansierede_pladser'],
        ['active', 'aktive'],
        ['byRule', 'efter_reglerne'],
        ['byJudgement', 'efter_faglig_vurdering'],
        ['overCapacity', 'over_kapacitet'],
        ['available', 'ledige_pladser'],
        ['isOverCapacity', 'kapacitet_overskredet'],
      ],
      rows: [
        [
          num(cap.funded),
          count(cap.active),
          count(cap.activeByRule),
          count(cap.activeByJudgement),
          count(cap.overCapacity),
          count(cap.available),
          { flag: cap.isOverCapacity },
        ],
      ],
    },
    {
      name: 'caseloads',
      columns: [
        ['contactPerson', 'kontaktperson'],
        ['caseload', 'sager'],
        ['caseloadLimit', 'loft'],
        ['overLimit', 'over_loftet'],
        ['active', 'aktiv'],
      ],
      rows: cap.contactPersons.map((p) => [
        text(p.contactPersonName),
        count(p.caseload),
        num(p.caseloadLimit),
        { flag: p.overLimit },
        { flag: p.active },
      ]),
    },
    {
      name: 'handovers',
      columns: [['from', 'fra'], ['to', 'til'], ['transition', 'overgang'], ...HANDOVER_COLUMNS],
      rows: [
        ...h.transitions.map((t) => [{ date: h.from }, { date: h.to }, text(t.kind), ...handoverValues(t)]),
        [{ date: h.from }, { date: h.to }, text('TOTAL'), ...handoverValues(h.total)],
      ],
    },
    {
      name: 'contact-person-outcomes',
      columns: [
        ['outcome', 'udfald'],
        ['count', 'antal'],
        ['share', 'andel'],
      ],
      rows: [
        ...o.byOutcome.map((b) => [text(b.outcome), count(b.count), share(b.share)]),
        [text('WITH_OUTCOME'), count(o.withOutcome), num(null)],
        [text('WITHOUT_OUTCOME'), count(o.withoutOutcome), num(null)],
        [text('ENDED'), count(o.endedAssignments), num(null)],
      ],
    },
    {
      name: 'youth-education-at-25',
      columns: [
        ['asOf', 'opgjort'],
        ['aged25', 'aargang_25_aar'],
        ['completed', 'med_ungdomsuddannelse'],
        ['notCompleted', 'uden'],
        ['share', 'andel'],
        ['goal', 'maal'],
      ],
      rows: [
        [
          { date: report.asOf },
          count(at25.aged25),
          count(at25.completed),
          count(at25.notCompleted),
          share(at25.share),
          num(at25.share.goal),
        ],
      ],
    },
    { name: 'measure-series', columns: SERIES_COLUMNS, rows: report.measureSeries.map(seriesRow) },
  ];
  return specs.map((spec) => renderCsv(spec, locale));
}
