import { describe, expect, it } from 'vitest';
import { escapeHtml, formatCount, formatShare, indicatorChart, renderReportHtml } from '../../scripts/report/html.js';
import { hidden, n, sampleReport } from './sampleReport.js';

/** The English page (`--lang en`); the Danish default is tested in danish.test.ts. */
const GENERATED = { generatedAt: '2026-11-23T08:15:00.000Z', lang: 'en' as const };

/** The text of the table row whose header cell reads `header` (tags stripped, whitespace collapsed). */
function row(html: string, header: string): string | undefined {
  const rows = html.match(/<tr[^>]*>[\s\S]*?<\/tr>/g) ?? [];
  const found = rows.find((r) => r.replace(/<[^>]+>/g, '|').includes(`|${escapeHtml(header)}|`));
  return found
    ?.replace(/<[^>]+>/g, '|')
    .replace(/\|+/g, '|')
    .replace(/^\||\|$/g, '');
}

describe('the report page', () => {
  const html = renderReportHtml(sampleReport(), GENERATED);

  it('is one self-contained HTML document: no script, no external asset, no link out', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    // The only URL is the SVG namespace, which is not fetched.
    expect(html.match(/https?:\/\/[^\s"']+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('has the title, the date and a plain-language summary', () => {
    expect(html).toContain('<title>Coordinated youth effort: report 2026-11-23</title>');
    expect(html).toContain('Report for 2026-11-23');
    expect(html).toContain('Screening register rebuilt 2026-11-23 02:00:05 UTC');
    expect(html).toContain('<h2>Summary</h2>');
    expect(html).toContain('<strong>3,312</strong> of the 58,210 young people in the screening register are in the target group');
    expect(html).toContain('(5.7 %)');
    expect(html).toContain('The most common reason is <em>neither in nor finished with youth education</em> (2,104)');
    expect(html).toContain('<strong>62.8 %</strong> on time (goal: all)');
    expect(html).toContain('<strong>82.7 %</strong> (national goal 90 %)');
  });

  it('has the figure-1 tables: indicators, exact combinations and pairs, with "<5" for suppressed cells', () => {
    expect(row(html, 'School absence over 20 %')).toBe('School absence over 20 %|612');
    expect(row(html, 'Social case with a school or education concern')).toBe('Social case with a school or education concern|&lt;5');
    expect(row(html, 'School absence over 20 % + Concerning unlawful absence')).toBe(
      'School absence over 20 % + Concerning unlawful absence|&lt;5',
    );
    expect(row(html, 'Neither in nor finished with youth education')).toBe('Neither in nor finished with youth education|2,104');
    expect(html).toContain('<h3>Overlaps: exact combinations of indicators</h3>');
    expect(html).toContain('<h3>Overlaps: pairs of indicators</h3>');
    // The pair matrix: absence over 20 % and concerning absence overlap in 190.
    expect(html).toMatch(/<table class="matrix">[\s\S]*<td class="num">190<\/td>[\s\S]*<\/table>/);
    expect(html).toContain('<td class="num suppressed">&lt;5</td>');
    expect(row(html, '13-15')).toBe('13-15|1,012');
    expect(row(html, 'S-0031')).toBe('S-0031|&lt;5');
  });

  it('draws the target group by indicator as an inline SVG bar chart', () => {
    const svg = html.match(/<svg[\s\S]*?<\/svg>/)?.[0];
    expect(svg).toBeDefined();
    expect(svg).toContain('<title id="chart-title">Young people in the target group by indicator</title>');
    // One bar per indicator: shown ones in proportion (the largest is full width), suppressed ones grey.
    expect(svg!.match(/class="bar"/g)).toHaveLength(5);
    expect(svg!.match(/class="bar-suppressed"/g)).toHaveLength(1);
    expect(svg).toContain('width="380" height="18" class="bar"');
    expect(svg).toContain('>&lt;5</text>');
  });

  it('has the capacity table and warns when the funded capacity is exceeded', () => {
    expect(html).toContain('<p class="warning" role="alert"><strong>Over the funded capacity.</strong>');
    expect(html).toContain('against 60 funded: fewer than 5 (not shown) at extra cost');
    expect(row(html, 'Sara Holm')).toBe('Sara Holm|&lt;5|25');
    // Staff names are escaped like every other string.
    expect(html).toContain('Mette &lt;Kjær&gt;');
    expect(html).not.toContain('<Kjær>');
    const calm = renderReportHtml(
      sampleReport({
        contactPersonCapacity: {
          ...sampleReport().contactPersonCapacity,
          isOverCapacity: false,
          active: n(40),
          overCapacity: n(0),
          available: n(20),
        },
      }),
      GENERATED,
    );
    expect(calm).not.toContain('role="alert"');
    expect(calm).toContain('Contact persons: 40 active assignments of 60 funded; 20 places free.');
  });

  it('has handovers on time, late and missing per transition, and outcomes against the goals', () => {
    expect(row(html, 'Coordinating meeting at 16½')).toBe('Coordinating meeting at 16½|40|30|&lt;5|&lt;5|0|75 %');
    expect(row(html, 'Transfer to adult services at 18')).toBe('Transfer to adult services at 18|35|&lt;5|&lt;5|9|0|&lt;5');
    expect(row(html, 'All handovers')).toBe('All handovers|113|71|19|23|0|62.8 %');
    expect(row(html, 'Ordinary education')).toBe('Ordinary education|20|76.9 %');
    expect(row(html, 'Preparatory or upskilling course')).toBe('Preparatory or upskilling course|&lt;5|&lt;5');
    expect(row(html, 'With a completed youth education')).toBe('With a completed youth education|1,910|82.7 %|90 %');
    expect(html).toContain('<td class="num below">82.7 %</td>');
  });

  it('explains "<5" and names no young person', () => {
    expect(html).toContain('<strong>&lt;5</strong> means fewer than 5 young people, or a figure hidden');
    expect(html).toContain('rounded down to a multiple of 5 (45 means 45 to 49)');
    expect(html).not.toMatch(/\byouthId\b|\bcpr\b/i);
    expect(html).not.toMatch(/\b\d{6}-\d{4}\b/); // no CPR number
    expect(html).not.toMatch(/\b(y|r|youth)-\d{3,}\b/); // no youth id
  });

  it('handles an empty register and a report before the first screening run', () => {
    const empty = sampleReport({
      screenedAt: null,
      targetGroup: {
        ...sampleReport().targetGroup,
        screened: n(0),
        inTargetGroup: n(0),
        byIndicator: sampleReport().targetGroup.byIndicator.map((i) => ({ ...i, count: n(0) })),
        combinations: [],
      },
    });
    const page = renderReportHtml(empty, GENERATED);
    expect(page).toContain('never (no screening run yet)');
    expect(page).toContain('<svg');
    expect(page).not.toContain('NaN');
  });
});

describe('formatting', () => {
  it('writes counts with separators and "<5" (escaped) for suppressed ones', () => {
    expect(formatCount(n(1234567))).toBe('1,234,567');
    expect(formatCount(n(0))).toBe('0');
    expect(formatCount(hidden)).toBe('&lt;5');
  });
  it('writes shares as percentages', () => {
    expect(formatShare({ value: 0.8268, goal: 0.9, suppressed: false })).toBe('82.7 %');
    expect(formatShare({ value: null, goal: 0.9, suppressed: true })).toBe('&lt;5');
    expect(formatShare({ value: null, goal: null, suppressed: false })).toBe('–');
  });
  it('draws no bar for a suppressed count and a proportional bar otherwise', () => {
    const svg = indicatorChart([
      { indicator: 'ABSENCE_OVER_20', count: n(100) },
      { indicator: 'SOCIAL_CASE', count: n(50) },
      { indicator: 'NOT_EDUCATION_READY', count: hidden },
    ]);
    expect(svg).toContain('width="380" height="18" class="bar"');
    expect(svg).toContain('width="190" height="18" class="bar"');
    expect(svg).toContain('class="bar-suppressed"');
  });
});
