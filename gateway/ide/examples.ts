/**
 * The example operations the IDE opens as tabs: `<name>.graphql` in the examples folder, its leading
 * `#` comment saying which audience it is for, and its variables in `<name>.variables.json` if any.
 * Read once at gateway start; a broken file is left out with a warning (the IDE is a convenience and
 * must not keep the gateway from starting).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import type { Logger } from 'pino';

export interface ExampleOperation {
  /** The file name without `.graphql`, e.g. `caseworker-dossier`. */
  name: string;
  /** The leading comment's text, e.g. "Caseworkers (...): one young person's full dossier ...". */
  audience: string;
  /** The operation as written (its comment included, so the tab shows whom it is for). */
  query: string;
  /** The variables as pretty JSON, or null when the example has none. */
  variables: string | null;
}

/** The text of the comment lines at the top of a document, joined. */
function leadingComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' && lines.length === 0) continue;
    if (!trimmed.startsWith('#')) break;
    lines.push(trimmed.replace(/^#+\s?/, ''));
  }
  return lines.join(' ').trim();
}

export function loadExamples(dir: string, logger: Logger): ExampleOperation[] {
  if (!existsSync(dir)) {
    logger.warn({ dir }, 'IDE: no example operations folder; the IDE opens with an empty tab');
    return [];
  }
  const examples: ExampleOperation[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()) {
    const name = file.slice(0, -'.graphql'.length);
    try {
      const query = readFileSync(join(dir, file), 'utf8');
      parse(query); // a syntax error is named here, not found by a developer in the browser
      const variablesPath = join(dir, `${name}.variables.json`);
      const variables = existsSync(variablesPath) ? JSON.stringify(JSON.parse(readFileSync(variablesPath, 'utf8')), null, 2) : null;
      const audience = leadingComment(query);
      if (!audience) logger.warn({ file }, 'IDE: example operation has no leading comment naming its audience');
      examples.push({ name, audience, query: query.trimEnd() + '\n', variables });
    } catch (error) {
      logger.warn({ file, err: error }, 'IDE: example operation left out: it does not parse');
    }
  }
  return examples;
}
