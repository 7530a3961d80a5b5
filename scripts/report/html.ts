/**
 * The management report as ONE self-contained HTML file: inline CSS and an inline SVG chart, no
 * script, no font, no image, no link to anything outside the file, so that it can be mailed, archived
 * and opened offline. Pure: the same report gives the same page.
 *
 * Suppressed counts are shown as "<5" (with a note saying what that means). The page only shows what
 * the report holds: aggregates, no young person.
 */
import type { Count, HandoverCounts, ReportData, Share } from './query.js';

const INDICATOR_LABELS: Record<string, string> = {
  ABSENCE_OVER_20: 'School absence over 20 %',
  CONCERNING_ABSENCE: 'Concerning unlawful absence',
  NOT_EDUCATION_READY: 'Not education-ready (grades 8-10)',
  SOCIAL_CASE: 'Social case with a school or education concern',
  NOT_IN_EDUCATION: 'Neither in nor finished with youth education',
  NEEDS_SUPPORT_IN_EDUCATION: 'In education, needs support to complete',
};

/** Short names for the overlap matrix's columns. */
const INDICATOR_SHORT: Record<string, string> = {
  ABSENCE_OVER_20: 'Absence >20 %',
  CONCERNING_ABSENCE: 'Concerning absence',
  NOT_EDUCATION_READY: 'Not ready',
  SOCIAL_CASE: 'Social case',
  NOT_IN_EDUCATION: 'Not in education',
  NEEDS_SUPPORT_IN_EDUCATION: 'Needs support',
};

const AGE_BAND_LABELS: Record<string, string> = {
  AGE_13_15: '13-15',
  AGE_16_17: '16-17',
  AGE_18_24: '18-24',
  AGE_25_29: '25-29',
  OTHER: 'Other ages',
};

const TRANSITION_LABELS: Record<string, string> = {
  COORDINATING_MEETING_16_5: 'Coordinating meeting at 16½',
  JOBCENTER_ADVISOR_17: 'Jobcenter advisor at 17',
  TRANSFER_18: 'Transfer to adult services at 18',
};

const OUTCOME_LABELS: Record<string, string> = {
  ORDINARY_EDUCATION: 'Ordinary education',
  PREPARATORY_OR_UPSKILLING: 'Preparatory or upskilling course',
  OTHER: 'Other (illness, moved, resource course)',
};

export const SUPPRESSED_MARK = '<5';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const label = (labels: Record<string, string>, key: string) => escapeHtml(labels[key] ?? key);

/** A count for a table cell: the number (with thousands separators), or "<5". */
export function formatCount(count: Count): string {
  if (count.suppressed || count.value === null) return escapeHtml(SUPPRESSED_MARK);
  return count.value.toLocaleString('en-GB');
}

/** A share as a percentage, "<5" when suppressed, "–" when there is nothing to divide. */
export function formatShare(share: Share): string {
  if (share.suppressed) return escapeHtml(SUPPRESSED_MARK);
  if (share.value === null) return '–';
  return percent(share.value);
}

function percent(value: number): string {
  return `${(Math.round(value * 1000) / 10).toLocaleString('en-GB')} %`;
}

/** A count in running text: "1,234", or "fewer than 5". */
function inWords(count: Count): string {
  return count.suppressed || count.value === null ? 'fewer than 5 (not shown)' : count.value.toLocaleString('en-GB');
}

function cell(count: Count, extraClass = ''): string {
  const classes = ['num', count.suppressed ? 'suppressed' : '', extraClass].filter(Boolean).join(' ');
  return `<td class="${classes}">${formatCount(count)}</td>`;
}

function shareCell(share: Share): string {
  const meets = share.value !== null && share.goal !== null && !share.suppressed ? (share.value >= share.goal ? ' meets' : ' below') : '';
  return `<td class="num${share.suppressed ? ' suppressed' : ''}${meets}">${formatShare(share)}</td>`;
}

function goalCell(share: Share): string {
  return `<td class="num">${share.goal === null ? '–' : percent(share.goal)}</td>`;
}

// ---------------------------------------------------------------- the chart

/** A horizontal bar chart of the target group by indicator, as inline SVG (suppressed bars are not drawn). */
export function indicatorChart(byIndicator: ReportData['targetGroup']['byIndicator']): string {
  const rowHeight = 28;
  const labelWidth = 300;
  const barWidth = 380;
  const height = byIndicator.length * rowHeight + 10;
  const max = Math.max(1, ...byIndicator.map((i) => i.count.value ?? 0));
  const rows = byIndicator.map((item, index) => {
    const y = 5 + index * rowHeight;
    const value = item.count.suppressed ? null : item.count.value;
    const width = value === null ? 0 : Math.max(value > 0 ? 2 : 0, Math.round((value / max) * barWidth));
    const text = value === null ? escapeHtml(SUPPRESSED_MARK) : value.toLocaleString('en-GB');
    const bar =
      value === null
        ? `<rect x="${labelWidth}" y="${y + 4}" width="12" height="${rowHeight - 10}" class="bar-suppressed"/>`
        : `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 10}" class="bar"/>`;
    return [
      `<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${label(INDICATOR_LABELS, item.indicator)}</text>`,
      bar,
      `<text x="${labelWidth + (value === null ? 12 : width) + 6}" y="${y + rowHeight / 2 + 4}">${text}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="100%" style="max-width:${labelWidth + barWidth + 60}px">`,
    `<title id="chart-title">Young people in the target group by indicator</title>`,
    ...rows,
    '</svg>',
  ].join('\n');
}

// ---------------------------------------------------------------- sections

function summary(report: ReportData): string {
  const tg = report.targetGroup;
  const capacity = report.contactPersonCapacity;
  const share =
    !tg.inTargetGroup.suppressed && !tg.screened.suppressed && tg.screened.value
      ? ` (${percent((tg.inTargetGroup.value ?? 0) / tg.screened.value)})`
      : '';
  const largest = [...tg.byIndicator]
    .filter((i) => !i.count.suppressed && (i.count.value ?? 0) > 0)
    .sort((a, b) => (b.count.value ?? 0) - (a.count.value ?? 0))[0];
  const handoverShare = report.handovers.total.onTimeShare;
  const ordinary = report.outcomes.byOutcome.find((o) => o.outcome === 'ORDINARY_EDUCATION');
  const points = [
    `<li><strong>${inWords(tg.inTargetGroup)}</strong> of the ${inWords(tg.screened)} young people in the screening register are in the target group of the coordinated youth effort${share}.` +
      (largest
        ? ` The most common reason is <em>${label(INDICATOR_LABELS, largest.indicator).toLowerCase()}</em> (${inWords(largest.count)}).`
        : '') +
      '</li>',
    capacity.isOverCapacity
      ? `<li class="warn"><strong>Contact persons are over the funded capacity:</strong> ${inWords(capacity.active)} active assignments against ${capacity.funded} funded, ${inWords(capacity.overCapacity)} of them at extra cost.</li>`
      : `<li>Contact persons: ${inWords(capacity.active)} active assignments of ${capacity.funded} funded; ${inWords(capacity.available)} places free.</li>`,
    `<li>Handovers from children's to adults' services due ${escapeHtml(report.handovers.from)} to ${escapeHtml(report.handovers.to)}: ` +
      (handoverShare.suppressed
        ? 'the on-time share cannot be shown (too few cases).'
        : handoverShare.value === null
          ? 'none were due.'
          : `<strong>${percent(handoverShare.value)}</strong> on time (goal: all).`) +
      ` ${inWords(report.handovers.total.missing)} missing.</li>`,
    ordinary
      ? `<li>Ended contact-person assignments: ${inWords(report.outcomes.endedAssignments)}; ordinary education afterwards: ${
          ordinary.share.suppressed
            ? 'not shown (too few)'
            : ordinary.share.value === null
              ? 'no outcomes recorded yet'
              : `<strong>${percent(ordinary.share.value)}</strong>`
        } (goal 80 %).</li>`
      : '',
    `<li>Young people aged 25 with a completed youth education: ${
      report.outcomes.youthEducationAt25.share.suppressed
        ? 'not shown (too few)'
        : report.outcomes.youthEducationAt25.share.value === null
          ? 'none aged 25 in the register'
          : `<strong>${percent(report.outcomes.youthEducationAt25.share.value)}</strong>`
    } (national goal 90 %).</li>`,
  ];
  return `<section><h2>Summary</h2><ul class="summary">${points.join('\n')}</ul></section>`;
}

function targetGroupSection(report: ReportData): string {
  const tg = report.targetGroup;
  const order = tg.byIndicator.map((i) => i.indicator);
  const pairCount = (a: string, b: string) =>
    tg.pairs.find((p) => (p.first === a && p.second === b) || (p.first === b && p.second === a))?.count;
  const matrixRows = order.map((row, r) => {
    const cells = order.map((column, c) => {
      if (c < r) return '<td class="blank"></td>';
      if (c === r) {
        const own = tg.byIndicator.find((i) => i.indicator === row)!.count;
        return cell(own, 'diagonal');
      }
      const count = pairCount(row, column);
      return count ? cell(count) : '<td class="num">0</td>';
    });
    return `<tr><th scope="row">${label(INDICATOR_LABELS, row)}</th>${cells.join('')}</tr>`;
  });
  return `
<section>
  <h2>The target group (figure 1)</h2>
  <table class="compact">
    <tbody>
      <tr><th scope="row">Young people in the screening register</th>${cell(tg.screened)}</tr>
      <tr><th scope="row">In the target group (at least one indicator)</th>${cell(tg.inTargetGroup)}</tr>
      <tr><th scope="row">Not in the target group</th>${cell(tg.notInTargetGroup)}</tr>
    </tbody>
  </table>

  <h3>By indicator</h3>
  <p class="note">One young person may have several indicators, so the rows add up to more than the target group.</p>
  <figure>${indicatorChart(tg.byIndicator)}</figure>
  <table>
    <thead><tr><th scope="col">Indicator</th><th scope="col" class="num">Young people</th></tr></thead>
    <tbody>
${tg.byIndicator.map((i) => `      <tr><th scope="row">${label(INDICATOR_LABELS, i.indicator)}</th>${cell(i.count)}</tr>`).join('\n')}
    </tbody>
  </table>

  <h3>Overlaps: exact combinations of indicators</h3>
  <p class="note">Each young person in the target group is counted once, under exactly the indicators that apply.</p>
  <table>
    <thead><tr><th scope="col">Indicators</th><th scope="col" class="num">Young people</th></tr></thead>
    <tbody>
${tg.combinations.map((c) => `      <tr><th scope="row">${c.indicators.map((i) => label(INDICATOR_LABELS, i)).join(' + ')}</th>${cell(c.count)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">Target group</th>${cell(tg.inTargetGroup)}</tr>
    </tbody>
  </table>

  <h3>Overlaps: pairs of indicators</h3>
  <p class="note">Young people with both indicators (others may apply too). The diagonal is each indicator's own count.</p>
  <table class="matrix">
    <thead><tr><th></th>${order.map((i) => `<th scope="col" class="num">${label(INDICATOR_SHORT, i)}</th>`).join('')}</tr></thead>
    <tbody>
${matrixRows.map((row) => `      ${row}`).join('\n')}
    </tbody>
  </table>

  <h3>By age</h3>
  <table>
    <thead><tr><th scope="col">Age</th><th scope="col" class="num">Young people</th></tr></thead>
    <tbody>
${tg.byAgeBand.map((b) => `      <tr><th scope="row">${label(AGE_BAND_LABELS, b.band)}</th>${cell(b.count)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">Target group</th>${cell(tg.inTargetGroup)}</tr>
    </tbody>
  </table>

  <h3>Pupils by school</h3>
  <table>
    <thead><tr><th scope="col">School</th><th scope="col" class="num">Pupils in the target group</th></tr></thead>
    <tbody>
${tg.bySchool.schools.map((s) => `      <tr><th scope="row">${escapeHtml(s.schoolId)}</th>${cell(s.count)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">All pupils in the target group</th>${cell(tg.bySchool.pupils)}</tr>
      <tr><th scope="row">In the target group, not a pupil</th>${cell(tg.bySchool.notPupils)}</tr>
    </tbody>
  </table>
</section>`;
}

function capacitySection(report: ReportData): string {
  const capacity = report.contactPersonCapacity;
  const warning = capacity.isOverCapacity
    ? `<p class="warning" role="alert"><strong>Over the funded capacity.</strong> ${inWords(capacity.active)} active assignments against ${capacity.funded} funded: ${inWords(capacity.overCapacity)} at extra cost. Monitor and decide whether to fund more or assign fewer.</p>`
    : '';
  const overLimit = capacity.contactPersons.filter((p) => p.overLimit);
  return `
<section>
  <h2>Continuous contact persons: capacity and caseloads</h2>
  ${warning}
  <table class="compact">
    <tbody>
      <tr><th scope="row">Funded places</th><td class="num">${capacity.funded.toLocaleString('en-GB')}</td></tr>
      <tr><th scope="row">Active assignments</th>${cell(capacity.active)}</tr>
      <tr><th scope="row">Over the funded capacity</th>${cell(capacity.overCapacity, capacity.isOverCapacity ? 'alert' : '')}</tr>
      <tr><th scope="row">Free places</th>${cell(capacity.available)}</tr>
    </tbody>
  </table>
  <table>
    <thead><tr><th scope="col">Contact person</th><th scope="col" class="num">Caseload</th><th scope="col" class="num">Limit</th><th scope="col">Note</th></tr></thead>
    <tbody>
${capacity.contactPersons
  .map(
    (p) =>
      `      <tr><th scope="row">${escapeHtml(p.contactPersonName)}</th>${cell(p.caseload)}<td class="num">${p.caseloadLimit}</td><td>${[
        p.overLimit ? '<span class="alert">over the limit</span>' : '',
        p.active ? '' : 'has left; cases to reassign',
      ]
        .filter(Boolean)
        .join('; ')}</td></tr>`,
  )
  .join('\n')}
      <tr class="total"><th scope="row">All</th>${cell(capacity.active)}<td></td><td></td></tr>
    </tbody>
  </table>
  ${overLimit.length > 0 ? `<p class="warning">${overLimit.length} contact person(s) carry more than their caseload limit.</p>` : ''}
</section>`;
}

function handoverRow(name: string, counts: HandoverCounts, total = false): string {
  return `      <tr${total ? ' class="total"' : ''}><th scope="row">${name}</th>${cell(counts.due)}${cell(counts.onTime)}${cell(counts.late)}${cell(counts.missing)}${cell(counts.notYetDue)}${shareCell(counts.onTimeShare)}</tr>`;
}

function handoverSection(report: ReportData): string {
  const h = report.handovers;
  return `
<section>
  <h2>Handovers from children's to adults' services</h2>
  <p class="note">Transitions due ${escapeHtml(h.from)} to ${escapeHtml(h.to)} for young people with a children's case. On time: the plan action for the transition was completed on or before the date; late: after it; missing: not completed.</p>
  <table>
    <thead><tr><th scope="col">Transition</th><th scope="col" class="num">Due</th><th scope="col" class="num">On time</th><th scope="col" class="num">Late</th><th scope="col" class="num">Missing</th><th scope="col" class="num">Not yet due</th><th scope="col" class="num">On time (goal 100 %)</th></tr></thead>
    <tbody>
${h.transitions.map((t) => handoverRow(label(TRANSITION_LABELS, t.kind), t)).join('\n')}
${handoverRow('All handovers', h.total, true)}
    </tbody>
  </table>
</section>`;
}

function outcomeSection(report: ReportData): string {
  const o = report.outcomes;
  const at25 = o.youthEducationAt25;
  return `
<section>
  <h2>Outcomes against the goals</h2>
  <h3>Where young people went when the contact person's assignment ended</h3>
  <table>
    <thead><tr><th scope="col">Outcome</th><th scope="col" class="num">Young people</th><th scope="col" class="num">Share</th><th scope="col" class="num">Goal</th></tr></thead>
    <tbody>
${o.byOutcome.map((item) => `      <tr><th scope="row">${label(OUTCOME_LABELS, item.outcome)}</th>${cell(item.count)}${shareCell(item.share)}${goalCell(item.share)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">With an outcome recorded</th>${cell(o.withOutcome)}<td></td><td></td></tr>
      <tr><th scope="row">Ended before outcomes were recorded</th>${cell(o.withoutOutcome)}<td></td><td></td></tr>
      <tr class="total"><th scope="row">All ended assignments</th>${cell(o.endedAssignments)}<td></td><td></td></tr>
    </tbody>
  </table>
  <h3>Completed youth education at 25</h3>
  <table>
    <thead><tr><th scope="col"></th><th scope="col" class="num">Young people</th><th scope="col" class="num">Share</th><th scope="col" class="num">Goal</th></tr></thead>
    <tbody>
      <tr><th scope="row">Aged 25 in the register</th>${cell(at25.aged25)}<td></td><td></td></tr>
      <tr><th scope="row">With a completed youth education</th>${cell(at25.completed)}${shareCell(at25.share)}${goalCell(at25.share)}</tr>
      <tr><th scope="row">Without</th>${cell(at25.notCompleted)}<td></td><td></td></tr>
    </tbody>
  </table>
</section>`;
}

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d2530; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 2px solid #2b5d8a; padding-bottom: 0.2rem; }
  h3 { font-size: 1.05rem; margin-top: 1.4rem; }
  .meta { color: #5a6472; margin-top: 0; }
  table { border-collapse: collapse; margin: 0.6rem 0 1rem; min-width: 24rem; }
  th, td { border-bottom: 1px solid #d9dee5; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
  thead th { border-bottom: 2px solid #9aa5b4; font-weight: 600; }
  th[scope="row"] { font-weight: normal; }
  .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .suppressed { color: #6b7380; font-style: italic; }
  tr.total th, tr.total td { font-weight: 600; border-top: 1px solid #9aa5b4; }
  .matrix td.blank { background: #f4f6f8; }
  .matrix td.diagonal { background: #e8eff6; font-weight: 600; }
  .meets { color: #1f6f3a; }
  .below { color: #9a3b12; }
  .alert { color: #9a1b12; font-weight: 600; }
  .warning { background: #fff3e0; border-left: 4px solid #d9822b; padding: 0.6rem 0.8rem; }
  .summary li { margin: 0.3rem 0; }
  .summary li.warn { color: #9a1b12; }
  .note { color: #5a6472; font-size: 0.92rem; }
  figure { margin: 0.5rem 0 1rem; }
  svg text { font-size: 13px; fill: #1d2530; }
  svg .bar { fill: #2b5d8a; }
  svg .bar-suppressed { fill: #c9d1db; }
  footer { margin-top: 2.5rem; border-top: 1px solid #d9dee5; padding-top: 0.6rem; color: #5a6472; font-size: 0.9rem; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
`;

export interface ReportPageInfo {
  /** When the page was made (ISO date-time). */
  generatedAt: string;
}

/** The whole page. */
export function renderReportHtml(report: ReportData, info: ReportPageInfo): string {
  const title = `Coordinated youth effort: report ${report.asOf}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml('Coordinated youth effort (den sammenhængende ungeindsats)')}</h1>
  <p class="meta">Report for ${escapeHtml(report.asOf)}. Screening register rebuilt ${report.screenedAt ? escapeHtml(report.screenedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')) : 'never (no screening run yet)'}. Made ${escapeHtml(info.generatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}.</p>
</header>
<main>
${summary(report)}
${targetGroupSection(report)}
${capacitySection(report)}
${handoverSection(report)}
${outcomeSection(report)}
</main>
<footer>
  <p><strong>${escapeHtml(SUPPRESSED_MARK)}</strong> means fewer than 5 young people, or a figure hidden so that a number under 5 cannot be worked out from the totals (Danish statistics practice). Shares are not shown where they would reveal such a number. Every other count of young people is rounded down to a multiple of 5 (45 means 45 to 49), and shares are worked out from the rounded counts, so that no two reports taken together give a hidden number away.</p>
  <p>All figures are counts from the municipality's youth graph. No young person is named or identified in this report.</p>
</footer>
</body>
</html>
`;
}
