/**
 * The subject access report as one self-contained HTML page: no script, no external resource (it is
 * handed over, printed, archived, opened offline), styles inline and made for paper (A4, tables that do
 * not split rows across pages). The dossier is rendered from the answer's own shape, so a field the graph
 * gains appears without a change here; labels for sections come from subjectReportText.ts.
 */
import { DOSSIER_SECTIONS, IDENTITY_FIELDS, type SubjectReport } from './subjectReport.js';
import { textsFor, type ReportLanguage } from './subjectReportText.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `currentMonthlyAmountDkk` → `current monthly amount dkk`: readable without a dictionary of every field. */
function labelOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function renderValue(value: unknown, texts: ReturnType<typeof textsFor>): string {
  if (value === null || value === undefined) return escapeHtml(texts.empty);
  if (typeof value === 'boolean') return escapeHtml(value ? texts.yes : texts.no);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return escapeHtml(String(value));
  if (typeof value !== 'object') return escapeHtml(texts.empty);
  if (Array.isArray(value)) {
    if (value.length === 0) return escapeHtml(texts.empty);
    if (value.every((item) => typeof item !== 'object' || item === null)) return value.map((item) => renderValue(item, texts)).join(', ');
    return `<ol>${value.map((item) => `<li>${renderValue(item, texts)}</li>`).join('')}</ol>`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0] && (typeof entries[0][1] !== 'object' || entries[0][1] === null)) {
    return renderValue(entries[0][1], texts); // `{ name: "..." }` reads best as the name
  }
  return `<dl>${entries.map(([key, inner]) => `<dt>${escapeHtml(labelOf(key))}</dt><dd>${renderValue(inner, texts)}</dd>`).join('')}</dl>`;
}

const STYLE = `
  @page { size: A4; margin: 18mm 16mm; }
  body { font: 11pt/1.45 system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #999; margin-top: 1.6rem; }
  h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; break-after: avoid; }
  dl { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .15rem 1rem; margin: .2rem 0; }
  dt { color: #444; } dd { margin: 0; } ol { margin: .2rem 0; padding-left: 1.3rem; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  thead { display: table-header-group; } tr { break-inside: avoid; } .meta { color: #444; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

export function renderSubjectReportHtml(report: SubjectReport, language: ReportLanguage = 'da'): string {
  const t = textsFor(language);
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(t.title)}</h1>`);
  parts.push(`<p>${escapeHtml(t.intro)}</p>`);
  parts.push(
    `<p class="meta">${escapeHtml(t.generated)}: ${escapeHtml(report.generatedAt)}${
      report.generatedBy ? ` · ${escapeHtml(t.generatedBy)}: ${escapeHtml(report.generatedBy)}` : ''
    }<br>${escapeHtml(t.retention.replace('{days}', String(report.retentionDays)).replace('{from}', report.coveredFrom.slice(0, 10)))}</p>`,
  );

  parts.push(`<h2>${escapeHtml(t.dossierHeading)}</h2>`);
  const dossier = report.dossier;
  if (!dossier) {
    parts.push(`<p>${escapeHtml(t.dossierNone)}</p>`);
  } else {
    const identity = Object.fromEntries(IDENTITY_FIELDS.filter((key) => key in dossier).map((key) => [key, dossier[key]]));
    parts.push(`<h3>${escapeHtml(t.sections['identity'] ?? 'identity')}</h3>${renderValue(identity, t)}`);
    const known = new Set<string>([...IDENTITY_FIELDS, ...DOSSIER_SECTIONS]);
    const sections = [...DOSSIER_SECTIONS, ...Object.keys(dossier).filter((key) => !known.has(key))];
    for (const key of sections) {
      if (!(key in dossier)) continue;
      parts.push(`<h3>${escapeHtml(t.sections[key] ?? labelOf(key))}</h3>${renderValue(dossier[key], t)}`);
    }
  }
  if (report.withheld.length > 0) {
    parts.push(`<h3>${escapeHtml(t.withheldHeading)}</h3><ul>`);
    for (const part of report.withheld) {
      parts.push(
        `<li>${escapeHtml(t.sections[part.path.split('.')[0] ?? ''] ?? part.path)}: ${escapeHtml(t.errorCodes[part.code] ?? part.code)}</li>`,
      );
    }
    parts.push('</ul>');
  }

  parts.push(`<h2>${escapeHtml(t.accessHeading)}</h2>`);
  if (report.accesses.length === 0) {
    parts.push(`<p>${escapeHtml(t.accessNone)}</p>`);
  } else {
    const c = t.columns;
    parts.push(
      `<table><thead><tr>${[c.at, c.role, c.organisation, c.purpose, c.categories, c.legalBasis, c.relation, c.outcome]
        .map((name) => `<th>${escapeHtml(name)}</th>`)
        .join('')}</tr></thead><tbody>`,
    );
    for (const access of report.accesses) {
      const bases = access.legalBases
        ? Object.entries(access.legalBases)
            .map(([category, basis]) => `${category}: ${t.legalBases[basis] ?? basis}`)
            .join('; ')
        : t.empty;
      const relation = access.breakTheGlass
        ? `${t.breakTheGlass}${access.breakTheGlassReason ? ` (${access.breakTheGlassReason})` : ''}`
        : (access.relation ?? t.empty);
      const cells = [
        access.at.slice(0, 19).replace('T', ' '),
        access.role ?? t.empty,
        access.organisation ?? t.empty,
        access.purpose,
        access.categories.join(', ') || t.empty,
        bases,
        relation,
        t.outcomes[access.outcome] ?? access.outcome,
      ];
      parts.push(`<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
    }
    parts.push('</tbody></table>');
    if (report.accessesTruncated) parts.push(`<p>${escapeHtml(t.accessTruncated.replace('{count}', String(report.accesses.length)))}</p>`);
  }

  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}
