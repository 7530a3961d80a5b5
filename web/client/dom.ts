/**
 * Building the page without innerHTML: every value from the graph goes in as text, so nothing a system
 * holds can become markup or script (the CSP forbids inline script as a second line of defence).
 */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** `h('p', { class: 'hint' }, 'text', child)`: an element with attributes (false/undefined left out). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** The element with `id`, typed; a missing one is a bug in index.html, said loudly. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return element;
}

/** A definition list from label/value pairs, leaving out pairs without a value. */
export function facts(pairs: [string, Child | Child[]][]): HTMLDListElement {
  const list = h('dl', { class: 'facts' });
  for (const [term, value] of pairs) {
    if (value === null || value === undefined || value === false) continue;
    list.append(h('dt', {}, term), h('dd', {}, value));
  }
  return list;
}
