/**
 * The static page in the current language: every element of index.html with `data-i18n="key"` gets the
 * dictionary's `page[key]` as its text (`data-i18n-aria-label` as its aria-label), the document its
 * title and `lang`, and the DA/EN switch says which is on. A key index.html names that the dictionary
 * lacks is a bug, said loudly.
 */
import { language, t } from './index.js';

function pageText(key: string): string {
  const texts: Readonly<Record<string, string | undefined>> = t().page;
  const text = texts[key];
  if (text === undefined) throw new Error(`index.html names data-i18n="${key}", which the dictionary lacks`);
  return text;
}

export function applyPageTexts(document: Document): void {
  document.documentElement.lang = t().lang;
  document.title = t().page.title;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = pageText(element.dataset.i18n ?? '');
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', pageText(element.dataset.i18nAriaLabel ?? ''));
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-language]')) {
    button.setAttribute('aria-pressed', button.dataset.language === language() ? 'true' : 'false');
  }
}
