/**
 * What `npm run bench` writes: each section as a text table (stdout), as Markdown (latest.md), as an SVG
 * bar chart (throughput and p99 per row), and the raw rows as JSON.
 */
import type { BenchCheck, BenchRow, BenchSection } from './types.js';

const fixed = (value: number | undefined, digits: number) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));

function extraKeys(rows: readonly BenchRow[]): string[] {
  return [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
}

function cells(section: BenchSection): { header: string[]; body: string[][] } {
  const extras = extraKeys(section.rows);
  const header = ['name', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'peak MiB', 'errors', ...extras];
  const body = section.rows.map((row) => [
    row.name,
    fixed(row.throughput, 1),
    fixed(row.p50Ms, 1),
    fixed(row.p95Ms, 1),
    fixed(row.p99Ms, 1),
    fixed(row.peakRssMiB, 0),
    String(row.errors),
    ...extras.map((key) => {
      const value = row.extra?.[key];
      return value === undefined ? '-' : typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
    }),
  ]);
  return { header, body };
}

export function passes(check: BenchCheck): boolean {
  return check.kind === 'atLeast' ? check.value >= check.bound : check.value <= check.bound;
}

export function verdict(check: BenchCheck): string {
  const ok = passes(check);
  if (check.stretch) return ok ? 'PASS (stretch)' : 'MISS (stretch)';
  return ok ? 'PASS' : 'FAIL';
}

function checkLine(check: BenchCheck): string {
  return `${check.name}: ${check.value} ${check.unit} (target ${check.kind === 'atLeast' ? '>=' : '<='} ${check.bound} ${check.unit})`;
}

export function textSection(section: BenchSection): string {
  const { header, body } = cells(section);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `== ${section.title}`,
    ...section.setup.map((s) => `   ${s}`),
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    ...section.checks.map((check) => `${verdict(check).padEnd(14)} ${checkLine(check)}`),
    ...(section.notes ?? []).map((note) => `note: ${note}`),
  ].join('\n');
}

export function markdownSection(section: BenchSection, chartFile?: string): string {
  const { header, body } = cells(section);
  const row = (r: string[]) => `| ${r.join(' | ')} |`;
  return [
    `## ${section.title}`,
    '',
    ...section.setup.map((s) => `- ${s}`),
    '',
    row(header),
    row(header.map((_, i) => (i === 0 ? ':--' : '--:'))),
    ...body.map(row),
    '',
    '| target | result |',
    '| :-- | :-- |',
    ...section.checks.map((check) => `| ${checkLine(check)} | **${verdict(check)}** |`),
    '',
    ...(section.notes ?? []).map((note) => `> ${note}`),
    ...(chartFile ? ['', `![${section.title}](${chartFile})`] : []),
    '',
  ].join('\n');
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Two horizontal bar charts side by side: throughput (longer is better) and p99 latency (shorter is better). */
export function svgChart(section: BenchSection): string {
  const rows = section.rows;
  // Wide enough for the longest name at 12 px sans-serif (about 7 px a character), so none is clipped.
  const labelWidth = Math.max(200, 20 + 7 * Math.max(0, ...section.rows.map((row) => row.name.length)));
  const barWidth = 300;
  const rowHeight = 26;
  const top = 56;
  const width = labelWidth + 2 * (barWidth + 90) + 20;
  const height = top + rows.length * rowHeight + 30;
  const colours = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1', '#b7791f', '#c53030', '#319795'];
  const panel = (x: number, title: string, value: (row: BenchRow) => number, unit: string) => {
    const max = Math.max(...rows.map(value).filter(Number.isFinite), 1e-9);
    const bars = rows.map((row, i) => {
      const v = value(row);
      const w = Number.isFinite(v) ? Math.max(1, (v / max) * barWidth) : 0;
      const y = top + i * rowHeight;
      return (
        `<rect x="${x}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${colours[i % colours.length]}"/>` +
        `<text x="${(x + w + 4).toFixed(1)}" y="${y + rowHeight - 13}" font-size="12">${escapeXml(fixed(v, 1))} ${unit}</text>`
      );
    });
    return `<text x="${x}" y="${top - 10}" font-size="13" font-weight="bold">${escapeXml(title)}</text>${bars.join('')}`;
  };
  const labels = rows.map(
    (row, i) =>
      `<text x="${labelWidth - 8}" y="${top + i * rowHeight + rowHeight - 13}" font-size="12" text-anchor="end">${escapeXml(row.name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(section.title)}</text>`,
    ...labels,
    panel(labelWidth, 'throughput (higher is better)', (row) => row.throughput, 'req/s'),
    panel(labelWidth + barWidth + 90, 'p99 latency (lower is better)', (row) => row.p99Ms, 'ms'),
    '</svg>',
    '',
  ].join('\n');
}
