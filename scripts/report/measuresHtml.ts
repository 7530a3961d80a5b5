/**
 * The success measures over time in the management report: one small inline-SVG line chart per measure
 * (no script, works offline), a table month by month, and the same series as plain text for the
 * terminal. A suppressed or missing month is a gap in the line with a grey mark, never a guessed value.
 */
import type { Count, MonthlyMeasures, Share } from './query.js';
import { fill, formatMonth, formatNumber, formatPercent, type Texts } from './texts.js';

/** One plotted measure: its label, the month's value (null: suppressed or not counted), and its kind. */
interface SeriesLine {
  key: string;
  label: string;
  kind: 'count' | 'share' | 'number';
  goal: number | null;
  value: (m: MonthlyMeasures) => { value: number | null; suppressed: boolean };
}

const ofCount = (c: Count | undefined) => ({ value: c && !c.suppressed ? c.value : null, suppressed: c?.suppressed ?? false });
const ofShare = (s: Share | undefined) => ({ value: s && !s.suppressed ? s.value : null, suppressed: s?.suppressed ?? false });

function lines(t: Texts): SeriesLine[] {
  const w = t.w;
  return [
    { key: 'handover18', label: w.mHandover18!, kind: 'share', goal: 1, value: (m) => ofShare(m.handoverAt18.onTimeShare) },
    { key: 'educationGoal', label: w.mEducationGoal!, kind: 'share', goal: 1, value: (m) => ofShare(m.educationGoalInOpenCases?.share) },
    { key: 'meetings', label: w.mMeetings!, kind: 'share', goal: 1, value: (m) => ofShare(m.meetingsInUddannelseshuset?.share) },
    { key: 'jointDecisions', label: w.mJointDecisions!, kind: 'count', goal: null, value: (m) => ofCount(m.jointDecisions) },
    { key: 'at25', label: w.mAt25!, kind: 'share', goal: 0.9, value: (m) => ofShare(m.youthEducationAt25?.completedShare) },
    { key: 'underWay', label: w.mUnderWay!, kind: 'share', goal: 0.1, value: (m) => ofShare(m.youthEducationAt25?.underWayShare) },
    { key: 'active', label: w.mActive!, kind: 'count', goal: null, value: (m) => ofCount(m.contactPersons.active) },
    { key: 'byRule', label: w.mByRule!, kind: 'count', goal: null, value: (m) => ofCount(m.contactPersons.byRule) },
    { key: 'byJudgement', label: w.mByJudgement!, kind: 'count', goal: null, value: (m) => ofCount(m.contactPersons.byJudgement) },
    {
      key: 'caseload',
      label: w.mCaseload!,
      kind: 'number',
      goal: null,
      value: (m) => ({
        value: m.contactPersons.caseloadPerPerson,
        suppressed: m.contactPersons.caseloadPerPerson === null && m.contactPersons.active.suppressed,
      }),
    },
    { key: 'capacity', label: w.mCapacity!, kind: 'share', goal: null, value: (m) => ofShare(m.contactPersons.capacityUse) },
    { key: 'ended', label: w.mEnded!, kind: 'count', goal: null, value: (m) => ofCount(m.contactPersons.ended) },
  ];
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatValue(v: { value: number | null; suppressed: boolean }, kind: SeriesLine['kind'], t: Texts): string {
  if (v.suppressed) return '<5';
  if (v.value === null) return '–';
  if (kind === 'share') return formatPercent(v.value, t);
  return formatNumber(v.value, t);
}

/** A line chart of one measure over the months, as inline SVG. Exported for the tests. */
export function seriesChart(series: readonly MonthlyMeasures[], line: SeriesLine, t: Texts, id: string): string {
  const width = 300;
  const height = 120;
  const left = 36;
  const bottom = 20;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const points = series.map((m) => line.value(m));
  const max = Math.max(line.kind === 'share' ? 1 : 1, line.goal ?? 0, ...points.map((p) => p.value ?? 0));
  const x = (i: number) => left + (series.length <= 1 ? plotW / 2 : (i * plotW) / (series.length - 1));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  // Consecutive known values make one segment; a gap breaks the line.
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  const from = series[0] ? formatMonth(series[0].month, t) : '';
  const to = series.at(-1) ? formatMonth(series.at(-1)!.month, t) : '';
  const title = fill(t.w.seriesChart!, { label: line.label, from, to });
  const top_ = line.kind === 'share' ? formatPercent(max, t) : formatNumber(Math.round(max * 10) / 10, t);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" data-measure="${line.key}">`,
    `<title id="${id}">${esc(title)}</title>`,
    `<line class="axis" x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/>`,
    `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/>`,
    `<text x="${left - 4}" y="${top + 10}" text-anchor="end" style="font-size:10px">${esc(top_)}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end" style="font-size:10px">0</text>`,
    line.goal === null
      ? ''
      : `<line class="goal" x1="${left}" y1="${y(line.goal).toFixed(1)}" x2="${left + plotW}" y2="${y(line.goal).toFixed(1)}"/>`,
    ...segments.map((s) => (s.includes(' ') ? `<polyline class="line" points="${s}"/>` : '')),
    ...points.map((p, i) =>
      p.value === null
        ? `<rect class="gap" x="${(x(i) - 2).toFixed(1)}" y="${top + plotH - 6}" width="4" height="6"><title>${esc(formatMonth(series[i]!.month, t))}: ${esc(formatValue(p, line.kind, t))}</title></rect>`
        : `<circle class="dot" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5"><title>${esc(formatMonth(series[i]!.month, t))}: ${esc(formatValue(p, line.kind, t))}</title></circle>`,
    ),
    `<text x="${left}" y="${height - 4}" style="font-size:10px">${esc(from)}</text>`,
    `<text x="${left + plotW}" y="${height - 4}" text-anchor="end" style="font-size:10px">${esc(to)}</text>`,
    '</svg>',
  ].join('');
}

/** The section: charts, then the table month by month, then the ended assignments by reason. */
export function measuresSection(series: readonly MonthlyMeasures[], t: Texts): string {
  const w = t.w;
  const all = lines(t);
  const charts = all
    .map(
      (line, i) => `<figure>${seriesChart(series, line, t, `series-${line.key}-${i}`)}<figcaption>${esc(line.label)}</figcaption></figure>`,
    )
    .join('\n');
  const head = `<tr><th scope="col">${w.month}</th>${all.map((l) => `<th scope="col" class="num">${esc(l.label)}</th>`).join('')}<th scope="col">${w.source}</th></tr>`;
  const body = series
    .map(
      (m) =>
        `<tr><th scope="row">${esc(formatMonth(m.month, t))}</th>${all
          .map((l) => {
            const v = l.value(m);
            return `<td class="num${v.suppressed ? ' suppressed' : ''}">${esc(formatValue(v, l.kind, t))}</td>`;
          })
          .join('')}<td>${esc(t.sources[m.source] ?? m.source)}</td></tr>`,
    )
    .join('\n');
  const reasons = series[0]?.contactPersons.endedByReason.map((r) => r.reason) ?? [];
  const reasonRows = reasons
    .map(
      (reason) =>
        `<tr><th scope="row">${esc(t.endReasons[reason] ?? reason)}</th>${series
          .map((m) => {
            const c = m.contactPersons.endedByReason.find((r) => r.reason === reason)?.count;
            const v = ofCount(c);
            return `<td class="num${v.suppressed ? ' suppressed' : ''}">${esc(formatValue(v, 'count', t))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `
<section>
  <h2>${w.measuresHeading}</h2>
  <p class="note">${fill(w.measuresNote!, { n: String(series.length) })}</p>
  <div class="charts">
${charts}
  </div>
  <table class="series">
    <thead>${head}</thead>
    <tbody>
${body}
    </tbody>
  </table>
  <h3>${w.endedByReason}</h3>
  <table class="series">
    <thead><tr><th scope="col">${w.reason}</th>${series.map((m) => `<th scope="col" class="num">${esc(formatMonth(m.month, t))}</th>`).join('')}</tr></thead>
    <tbody>
${reasonRows}
    </tbody>
  </table>
</section>`;
}

/** The series as plain text for the terminal: one line per month, one column per measure. */
export function seriesText(series: readonly MonthlyMeasures[], t: Texts): string {
  const all = lines(t);
  const header = [t.w.month!, ...all.map((l) => l.label)];
  const rows = series.map((m) => [formatMonth(m.month, t), ...all.map((l) => formatValue(l.value(m), l.kind, t))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`${t.w.measuresHeading}`, line(header), ...rows.map(line)].join('\n');
}
