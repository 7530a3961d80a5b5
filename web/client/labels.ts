/**
 * The graph's codes in plain words, as a caseworker reads them, in the screen's current language: the
 * tables are in the dictionaries (i18n/da.ts, i18n/en.ts); these helpers look a code up and format.
 */
import { wordCount } from '../../subgraphs/coordination/rules/assignmentBasis.js';
import { JUSTIFICATION_MIN, SUPPORT_COORDINATION_MIN } from '../../subgraphs/coordination/store/limits.js';
import { t, type Dictionary } from './i18n/index.js';

export { formatDate, formatDateCompact, formatDateTime, formatDkk, formatPercent, formatTime } from './i18n/index.js';

/** The name of one of the dictionaries' label tables (`indicators`, `units`, ...). */
export type LabelTable = {
  [K in keyof Dictionary['labels']]: Dictionary['labels'][K] extends Readonly<Record<string, string>> ? K : never;
}[keyof Dictionary['labels']];

/** A code's label from the current language's table, or the code in words when the screen does not know it yet. */
export function label(table: LabelTable, code: string): string {
  const labels: Readonly<Record<string, string | undefined>> = t().labels[table];
  return labels[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** The system behind `extensions.service`, at the start of a sentence. */
export function serviceLabel(service: string | undefined): string {
  return (service === undefined ? undefined : t().labels.services[service]) ?? t().labels.unknownService;
}

/**
 * The graph's lower bounds for the written reasons and its way of counting words, taken from the
 * coordination itself (the graph checks them; the screen only counts along so the caseworker sees how
 * far there is to go).
 */
export { JUSTIFICATION_MIN, SUPPORT_COORDINATION_MIN };

/** "12 of at least 40 characters, 3 of at least 6 words", in the current language. */
export function counterText(text: string, min: { characters: number; words: number }): string {
  const trimmed = text.trim();
  return t().text.counter(trimmed.length, wordCount(trimmed), min);
}
