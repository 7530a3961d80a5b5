import { generatePopulation, type Population } from '../../systems/population/generate.js';
import { listen, type Listening } from '../../systems/kit/listen.js';
import type { SimulatedSystem } from '../../systems/kit/system.js';

/** A small population shared by the system suites (the same generator, a fixed seed). */
let small: Population | undefined;
export function smallPopulation(): Population {
  small ??= generatePopulation({ seed: 2019, scale: 0.03 });
  return small;
}

export interface Served<C> {
  system: SimulatedSystem<C>;
  url: string;
  close(): Promise<void>;
  /** fetch against the system, parsed JSON body. */
  call(path: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }>;
}

export async function serve<C>(system: SimulatedSystem<C>, headers: Record<string, string>): Promise<Served<C>> {
  const listening: Listening = await listen(system.server, 0);
  return {
    system,
    url: listening.url,
    close: () => listening.close(),
    async call(path, init = {}) {
      const response = await fetch(`${listening.url}${path}`, {
        ...init,
        headers: {
          ...headers,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
  };
}

export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

export const DD_MM_YYYY = /^\d{2}-\d{2}-\d{4}$/;
export const DD_DOT_MM_YYYY = /^\d{2}\.\d{2}\.\d{4}$/;
export const YYYYMMDD = /^\d{8}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T00:00:00Z$/;
