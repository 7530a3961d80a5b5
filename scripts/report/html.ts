/**
 * The management report as ONE self-contained HTML file: inline CSS and inline SVG charts, no script,
 * no font, no image, no link to anything outside the file, so that it can be mailed, archived and
 * opened offline. Pure: the same report gives the same page. Danish by default (every reader is a
 * Danish manager), English with `lang: 'en'`; the words live in ./texts.ts.
 *
 * Suppressed counts are shown as "<5" (with a note saying what that means). The page only shows what
 * the report holds: aggregates, no young person.
 */
import type { Count, HandoverCounts, ReportData, Share } from './query.js';
import { fill, formatDate, formatInstant, formatNumber, formatPercent, TEXTS, type Lang, type Texts } from './texts.js';
import { measuresSection } from './measuresHtml.js';

export const SUPPRESSED_MARK = '<5';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const label = (labels: Record<string, string>, key: string) => escapeHtml(labels[key] ?? key);

/** A count for a table cell: the number (with thousands separators), or "<5". */
export function formatCount(count: Count, t: Texts = TEXTS.en): string {
  if (count.suppressed || count.value === null) return escapeHtml(SUPPRESSED_MARK);
  return formatNumber(count.value, t);
}

/** A share as a percentage, "<5" when suppressed, "–" when there is nothing to divide. */
export function formatShare(share: Share, t: Texts = TEXTS.en): string {
  if (share.suppressed) return escapeHtml(SUPPRESSED_MARK);
  if (share.value === null) return '–';
  return formatPercent(share.value, t);
}

/** A count in running text: "1,234", or "fewer than 5". */
function inWords(count: Count, t: Texts): string {
  return count.suppressed || count.value === null ? t.w.fewer! : formatNumber(count.value, t);
}

export function cell(count: Count, t: Texts, extraClass = ''): string {
  const classes = ['num', count.suppressed ? 'suppressed' : '', extraClass].filter(Boolean).join(' ');
  return `<td class="${classes}">${formatCount(count, t)}</td>`;
}

export function shareCell(share: Share, t: Texts): string {
  const meets = share.value !== null && share.goal !== null && !share.suppressed ? (share.value >= share.goal ? ' meets' : ' below') : '';
  return `<td class="num${share.suppressed ? ' suppressed' : ''}${meets}">${formatShare(share, t)}</td>`;
}

export function goalCell(share: Share, t: Texts): string {
  return `<td class="num">${share.goal === null ? '–' : formatPercent(share.goal, t)}</td>`;
}

// ---------------------------------------------------------------- the chart

/** A horizontal bar chart of the target group by indicator, as inline SVG (suppressed bars are not drawn). */
export function indicatorChart(byIndicator: ReportData['targetGroup']['byIndicator'], t: Texts = TEXTS.en): string {
  const rowHeight = 28;
  const labelWidth = 300;
  const barWidth = 380;
  const height = byIndicator.length * rowHeight + 10;
  const max = Math.max(1, ...byIndicator.map((i) => i.count.value ?? 0));
  const rows = byIndicator.map((item, index) => {
    const y = 5 + index * rowHeight;
    const value = item.count.suppressed ? null : item.count.value;
    const width = value === null ? 0 : Math.max(value > 0 ? 2 : 0, Math.round((value / max) * barWidth));
    const text = value === null ? escapeHtml(SUPPRESSED_MARK) : formatNumber(value, t);
    const bar =
      value === null
        ? `<rect x="${labelWidth}" y="${y + 4}" width="12" height="${rowHeight - 10}" class="bar-suppressed"/>`
        : `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 10}" class="bar"/>`;
    return [
      `<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${label(t.indicatorsShort, item.indicator)}</text>`,
      bar,
      `<text x="${labelWidth + (value === null ? 12 : width) + 6}" y="${y + rowHeight / 2 + 4}">${text}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="100%" style="max-width:${labelWidth + barWidth + 60}px">`,
    `<title id="chart-title">${escapeHtml(t.w.chartTitle!)}</title>`,
    ...rows,
    '</svg>',
  ].join('\n');
}

// ---------------------------------------------------------------- sections

function summary(report: ReportData, t: Texts): string {
  const tg = report.targetGroup;
  const capacity = report.contactPersonCapacity;
  const share =
    !tg.inTargetGroup.suppressed && !tg.screened.suppressed && tg.screened.value
      ? ` (${formatPercent((tg.inTargetGroup.value ?? 0) / tg.screened.value, t)})`
      : '';
  const largest = [...tg.byIndicator]
    .filter((i) => !i.count.suppressed && (i.count.value ?? 0) > 0)
    .sort((a, b) => (b.count.value ?? 0) - (a.count.value ?? 0))[0];
  const handoverShare = report.handovers.total.onTimeShare;
  const at25 = report.outcomes.youthEducationAt25.share;
  const points = [
    `<li>${fill(t.w.targetGroupLine!, { a: `<strong>${inWords(tg.inTargetGroup, t)}</strong>`, b: inWords(tg.screened, t), share })}` +
      (largest ? fill(t.w.commonest!, { label: label(t.indicators, largest.indicator).toLowerCase(), n: inWords(largest.count, t) }) : '') +
      '</li>',
    capacity.isOverCapacity
      ? `<li class="warn">${fill(t.w.overCapacityLine!, { a: inWords(capacity.active, t), b: String(capacity.funded), c: inWords(capacity.overCapacity, t) })}</li>`
      : `<li>${fill(t.w.capacityLine!, { a: inWords(capacity.active, t), b: String(capacity.funded), c: inWords(capacity.available, t) })}</li>`,
    `<li>${fill(t.w.handoverLine!, { from: escapeHtml(formatDate(report.handovers.from, t)), to: escapeHtml(formatDate(report.handovers.to, t)) })}` +
      (handoverShare.suppressed
        ? t.w.handoverHidden
        : handoverShare.value === null
          ? t.w.handoverNone
          : fill(t.w.handoverShare!, { p: formatPercent(handoverShare.value, t) })) +
      fill(t.w.missingSuffix!, { n: inWords(report.handovers.total.missing, t) }) +
      '</li>',
    `<li>${fill(t.w.at25Line!, {
      v: at25.suppressed ? t.w.notShown! : at25.value === null ? t.w.noneAged25! : `<strong>${formatPercent(at25.value, t)}</strong>`,
    })}</li>`,
  ];
  return `<section><h2>${t.w.summary}</h2><ul class="summary">${points.join('\n')}</ul></section>`;
}

function targetGroupSection(report: ReportData, t: Texts): string {
  const tg = report.targetGroup;
  const order = tg.byIndicator.map((i) => i.indicator);
  const pairCount = (a: string, b: string) =>
    tg.pairs.find((p) => (p.first === a && p.second === b) || (p.first === b && p.second === a))?.count;
  const matrixRows = order.map((row, r) => {
    const cells = order.map((column, c) => {
      if (c < r) return '<td class="blank"></td>';
      if (c === r) return cell(tg.byIndicator.find((i) => i.indicator === row)!.count, t, 'diagonal');
      const count = pairCount(row, column);
      return count ? cell(count, t) : '<td class="num">0</td>';
    });
    return `<tr><th scope="row">${label(t.indicators, row)}</th>${cells.join('')}</tr>`;
  });
  const w = t.w;
  return `
<section>
  <h2>${w.tgHeading}</h2>
  <table class="compact">
    <tbody>
      <tr><th scope="row">${w.inRegister}</th>${cell(tg.screened, t)}</tr>
      <tr><th scope="row">${w.inTargetGroup}</th>${cell(tg.inTargetGroup, t)}</tr>
      <tr><th scope="row">${w.notInTargetGroup}</th>${cell(tg.notInTargetGroup, t)}</tr>
    </tbody>
  </table>

  <h3>${w.byIndicator}</h3>
  <p class="note">${w.byIndicatorNote}</p>
  <figure>${indicatorChart(tg.byIndicator, t)}</figure>
  <table>
    <thead><tr><th scope="col">${w.indicator}</th><th scope="col" class="num">${w.youngPeople}</th></tr></thead>
    <tbody>
${tg.byIndicator.map((i) => `      <tr><th scope="row">${label(t.indicators, i.indicator)}</th>${cell(i.count, t)}</tr>`).join('\n')}
    </tbody>
  </table>

  <h3>${w.combinations}</h3>
  <p class="note">${w.combinationsNote}</p>
  <table>
    <thead><tr><th scope="col">${w.indicators}</th><th scope="col" class="num">${w.youngPeople}</th></tr></thead>
    <tbody>
${tg.combinations.map((c) => `      <tr><th scope="row">${c.indicators.map((i) => label(t.indicators, i)).join(' + ')}</th>${cell(c.count, t)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">${w.targetGroup}</th>${cell(tg.inTargetGroup, t)}</tr>
    </tbody>
  </table>

  <h3>${w.pairs}</h3>
  <p class="note">${w.pairsNote}</p>
  <table class="matrix">
    <thead><tr><th></th>${order.map((i) => `<th scope="col" class="num">${label(t.indicatorsShort, i)}</th>`).join('')}</tr></thead>
    <tbody>
${matrixRows.map((row) => `      ${row}`).join('\n')}
    </tbody>
  </table>

  <h3>${w.byAge}</h3>
  <table>
    <thead><tr><th scope="col">${w.age}</th><th scope="col" class="num">${w.youngPeople}</th></tr></thead>
    <tbody>
${tg.byAgeBand.map((b) => `      <tr><th scope="row">${label(t.ageBands, b.band)}</th>${cell(b.count, t)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">${w.targetGroup}</th>${cell(tg.inTargetGroup, t)}</tr>
    </tbody>
  </table>

  <h3>${w.bySchool}</h3>
  <table>
    <thead><tr><th scope="col">${w.school}</th><th scope="col" class="num">${w.pupilsInTg}</th></tr></thead>
    <tbody>
${tg.bySchool.schools.map((s) => `      <tr><th scope="row">${escapeHtml(s.schoolId)}</th>${cell(s.count, t)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">${w.allPupils}</th>${cell(tg.bySchool.pupils, t)}</tr>
      <tr><th scope="row">${w.notPupil}</th>${cell(tg.bySchool.notPupils, t)}</tr>
    </tbody>
  </table>
</section>`;
}

function capacitySection(report: ReportData, t: Texts): string {
  const capacity = report.contactPersonCapacity;
  const w = t.w;
  const warning = capacity.isOverCapacity
    ? `<p class="warning" role="alert">${fill(w.overWarning!, { a: inWords(capacity.active, t), b: String(capacity.funded), c: inWords(capacity.overCapacity, t) })}</p>`
    : '';
  const overLimit = capacity.contactPersons.filter((p) => p.overLimit);
  return `
<section>
  <h2>${w.capHeading}</h2>
  ${warning}
  <table class="compact">
    <tbody>
      <tr><th scope="row">${w.fundedPlaces}</th><td class="num">${formatNumber(capacity.funded, t)}</td></tr>
      <tr><th scope="row">${w.activeAssignments}</th>${cell(capacity.active, t)}</tr>
      <tr><th scope="row">${w.overCapacity}</th>${cell(capacity.overCapacity, t, capacity.isOverCapacity ? 'alert' : '')}</tr>
      <tr><th scope="row">${w.freePlaces}</th>${cell(capacity.available, t)}</tr>
    </tbody>
  </table>
  <table>
    <thead><tr><th scope="col">${w.contactPerson}</th><th scope="col" class="num">${w.caseload}</th><th scope="col" class="num">${w.limit}</th><th scope="col">${w.note}</th></tr></thead>
    <tbody>
${capacity.contactPersons
  .map(
    (p) =>
      `      <tr><th scope="row">${escapeHtml(p.contactPersonName)}</th>${cell(p.caseload, t)}<td class="num">${p.caseloadLimit}</td><td>${[
        p.overLimit ? `<span class="alert">${w.overLimit}</span>` : '',
        p.active ? '' : w.hasLeft,
      ]
        .filter(Boolean)
        .join('; ')}</td></tr>`,
  )
  .join('\n')}
      <tr class="total"><th scope="row">${w.all}</th>${cell(capacity.active, t)}<td></td><td></td></tr>
    </tbody>
  </table>
  ${overLimit.length > 0 ? `<p class="warning">${fill(w.overLimitNote!, { n: String(overLimit.length) })}</p>` : ''}
</section>`;
}

function handoverRow(name: string, counts: HandoverCounts, t: Texts, total = false): string {
  return `      <tr${total ? ' class="total"' : ''}><th scope="row">${name}</th>${cell(counts.due, t)}${cell(counts.onTime, t)}${cell(counts.late, t)}${cell(counts.missing, t)}${cell(counts.notYetDue, t)}${shareCell(counts.onTimeShare, t)}</tr>`;
}

function handoverSection(report: ReportData, t: Texts): string {
  const h = report.handovers;
  const w = t.w;
  return `
<section>
  <h2>${w.handoverHeading}</h2>
  <p class="note">${fill(w.handoverNote!, { from: escapeHtml(formatDate(h.from, t)), to: escapeHtml(formatDate(h.to, t)) })}</p>
  <table>
    <thead><tr><th scope="col">${w.transition}</th><th scope="col" class="num">${w.due}</th><th scope="col" class="num">${w.onTime}</th><th scope="col" class="num">${w.late}</th><th scope="col" class="num">${w.missing}</th><th scope="col" class="num">${w.notYetDue}</th><th scope="col" class="num">${w.onTimeGoal}</th></tr></thead>
    <tbody>
${h.transitions.map((tr) => handoverRow(label(t.transitions, tr.kind), tr, t)).join('\n')}
${handoverRow(w.allHandovers!, h.total, t, true)}
    </tbody>
  </table>
</section>`;
}

function outcomeSection(report: ReportData, t: Texts): string {
  const o = report.outcomes;
  const at25 = o.youthEducationAt25;
  const w = t.w;
  return `
<section>
  <h2>${w.outcomeHeading}</h2>
  <h3>${w.outcomeSub}</h3>
  <p class="note">${w.outcomeNote}</p>
  <table>
    <thead><tr><th scope="col">${w.outcome}</th><th scope="col" class="num">${w.youngPeople}</th><th scope="col" class="num">${w.share}</th></tr></thead>
    <tbody>
${o.byOutcome.map((item) => `      <tr><th scope="row">${label(t.outcomes, item.outcome)}</th>${cell(item.count, t)}${shareCell(item.share, t)}</tr>`).join('\n')}
      <tr class="total"><th scope="row">${w.withOutcome}</th>${cell(o.withOutcome, t)}<td></td></tr>
      <tr><th scope="row">${w.withoutOutcome}</th>${cell(o.withoutOutcome, t)}<td></td></tr>
      <tr class="total"><th scope="row">${w.allEnded}</th>${cell(o.endedAssignments, t)}<td></td></tr>
    </tbody>
  </table>
  <h3>${w.at25Heading}</h3>
  <table>
    <thead><tr><th scope="col"></th><th scope="col" class="num">${w.youngPeople}</th><th scope="col" class="num">${w.share}</th><th scope="col" class="num">${w.goal}</th></tr></thead>
    <tbody>
      <tr><th scope="row">${w.aged25}</th>${cell(at25.aged25, t)}<td></td><td></td></tr>
      <tr><th scope="row">${w.withYouthEducation}</th>${cell(at25.completed, t)}${shareCell(at25.share, t)}${goalCell(at25.share, t)}</tr>
      <tr><th scope="row">${w.without}</th>${cell(at25.notCompleted, t)}<td></td><td></td></tr>
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
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 0.8rem; }
  .charts figure { margin: 0; }
  .charts figcaption { font-size: 0.9rem; color: #1d2530; }
  .series { font-size: 0.85rem; }
  svg text { font-size: 13px; fill: #1d2530; }
  svg .axis { stroke: #9aa5b4; stroke-width: 1; }
  svg .goal { stroke: #1f6f3a; stroke-width: 1; stroke-dasharray: 4 3; }
  svg .line { fill: none; stroke: #2b5d8a; stroke-width: 2; }
  svg .dot { fill: #2b5d8a; }
  svg .gap { fill: #c9d1db; }
  svg .bar { fill: #2b5d8a; }
  svg .bar-suppressed { fill: #c9d1db; }
  footer { margin-top: 2.5rem; border-top: 1px solid #d9dee5; padding-top: 0.6rem; color: #5a6472; font-size: 0.9rem; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
`;

export interface ReportPageInfo {
  /** When the page was made (ISO date-time). */
  generatedAt: string;
  /** The page's language: Danish unless asked otherwise. */
  lang?: Lang;
}

/** The whole page. */
export function renderReportHtml(report: ReportData, info: ReportPageInfo): string {
  const t = TEXTS[info.lang ?? 'da'];
  const w = t.w;
  const title = `${w.title} ${formatDate(report.asOf, t)}`;
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(w.heading!)}</h1>
  <p class="meta">${w.reportFor} ${escapeHtml(formatDate(report.asOf, t))}. ${w.registerRebuilt} ${report.screenedAt ? escapeHtml(formatInstant(report.screenedAt, t)) : w.never}. ${w.made} ${escapeHtml(formatInstant(info.generatedAt, t))}.</p>
</header>
<main>
${summary(report, t)}
${report.measureSeries ? measuresSection(report.measureSeries, t) : ''}
${targetGroupSection(report, t)}
${capacitySection(report, t)}
${handoverSection(report, t)}
${outcomeSection(report, t)}
</main>
<footer>
  <p><strong>${escapeHtml(SUPPRESSED_MARK)}</strong> ${w.footerSuppressed}</p>
  <p>${w.footerNoOne}</p>
</footer>
</body>
</html>
`;
}
