/**
 * The screen's language (issue 15 s4): Danish by default, English by the DA/EN switch, the choice kept
 * in localStorage (it is a preference, not a secret, and outlives the tab unlike the token). `t()` is
 * the current dictionary; dates and numbers are formatted with Intl for its locale.
 */
import { da } from './da.js';
import { en } from './en.js';

/** Every dictionary has exactly da.ts's keys: a missing or extra translation fails the typecheck. */
export type Dictionary = typeof da;

export type Language = 'da' | 'en';

export const LANGUAGES: readonly Language[] = ['da', 'en'];
export const DEFAULT_LANGUAGE: Language = 'da';
/** The localStorage key of the choice. */
export const LANGUAGE_STORAGE_KEY = 'ungegraf.language';

const DICTIONARIES: Readonly<Record<Language, Dictionary>> = { da, en };

let current: Language = DEFAULT_LANGUAGE;

export function language(): Language {
  return current;
}

/** The current language's words. */
export function t(): Dictionary {
  return DICTIONARIES[current];
}

/** The graph's `Language` enum for `text(language:)`. */
export function graphLanguage(): 'DA' | 'EN' {
  return current === 'en' ? 'EN' : 'DA';
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The stored choice, or Danish. A storage that throws (disabled, private mode) is the default. */
export function storedLanguage(storage: Storage | undefined): Language {
  try {
    const value = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Switches the words and, with a storage, remembers the choice. */
export function setLanguage(next: Language, storage?: Storage): void {
  current = next;
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, next);
  } catch {
    // Not remembered; the switch still applies to this page.
  }
}

// ---- dates and numbers ---------------------------------------------------------------------------------

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${t().locale}:date:${key}`;
  let format = formats.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) formats.set(id, (format = new Intl.DateTimeFormat(t().locale, options)));
  return format;
}

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${t().locale}:number:${key}`;
  let format = formats.get(id) as Intl.NumberFormat | undefined;
  if (!format) formats.set(id, (format = new Intl.NumberFormat(t().locale, options)));
  return format;
}

/** A calendar day (`2026-09-04`) or an instant as a Date; calendar days are read at UTC midnight so they never shift. */
function parseDate(iso: string): Date | undefined {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** In prose: `4. sep. 2026` (Danish), `4 Sept 2026` (English). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = parseDate(iso);
  return date ? dateFormat('prose', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date) : iso;
}

/** In tables and compact lists: `04-09-2026` (Danish), `04/09/2026` (English). */
export function formatDateCompact(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = parseDate(iso);
  if (!date) return iso;
  const parts = dateFormat('compact', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // Danish Intl writes 04.09.2026; the municipality's forms write 04-09-2026.
  return `${part('day')}${current === 'da' ? '-' : '/'}${part('month')}${current === 'da' ? '-' : '/'}${part('year')}`;
}

/** An instant in the municipality's time, date and time of day (the register's last rebuild). */
export function formatDateTime(iso: string): string {
  const date = parseDate(iso);
  return date ? dateFormat('datetime', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Copenhagen' }).format(date) : iso;
}

/** A time of day (`14.30` in Danish), in the browser's zone: when a token runs out. */
export function formatTime(epochMs: number): string {
  return dateFormat('time', { hour: '2-digit', minute: '2-digit' }).format(new Date(epochMs));
}

/** `0.1727` → `17,3 %` (Danish), `17.3 %` (English). */
export function formatPercent(share: number): string {
  return `${numberFormat('percent', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share * 100)} %`;
}

/** Whole kroner with the locale's grouping: `4.871 kr.` (Danish), `DKK 4,871` (English). */
export function formatDkk(amount: number): string {
  return t().text.currency(numberFormat('dkk', { maximumFractionDigits: 0 }).format(amount));
}
