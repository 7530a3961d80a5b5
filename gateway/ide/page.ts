/**
 * The IDE's HTML page and the headers every IDE response carries. The page refers to its script and
 * stylesheet by relative URLs under `assets/` (never another origin), and hands the client its settings
 * and the example operations in a JSON data block, which the Content-Security-Policy allows because it
 * is never executed (no inline script runs).
 */
import { createHash } from 'node:crypto';
import { etagOf } from '../../platform/hash.js';
import type { BundleManifest } from './bundle.js';
import type { ExampleOperation } from './examples.js';
import { danishQuery } from './exampleDescriptions.js';

/**
 * Scripts, workers and requests: this origin only (the page's bundle and the gateway's /graphql); no
 * inline script, no eval. Styles are looser because the editor needs it: Monaco sets `style` attributes
 * on the lines it renders and writes its theme into a <style> element it creates (it offers no nonce),
 * and the stylesheets embed fonts and icons as `data:` URLs. Each exception was found by the browser
 * test (tests/browser/ide.test.ts), which fails on any violation.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every IDE response: the CSP, no sniffing, no framing, no referrer to anywhere. */
export const IDE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': IDE_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface IdePageInput {
  manifest: BundleManifest;
  examples: readonly ExampleOperation[];
  /** The GraphQL endpoint relative to the page (`../graphql` for `/ide/`). */
  endpoint: string;
  production: boolean;
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export interface IdePage {
  html: string;
  etag: string;
}

function versionOf(examples: readonly ExampleOperation[]): string {
  return createHash('sha256').update(JSON.stringify(examples)).digest('base64url').slice(0, 12);
}

export function renderIdePage(input: IdePageInput): IdePage {
  const { manifest } = input;
  const settings = {
    endpoint: input.endpoint,
    workers: Object.fromEntries(Object.entries(manifest.workers).map(([label, file]) => [label, `assets/${file}`])),
    examples: input.examples.map((example) => ({ ...example, queryDa: danishQuery(example.name, example.query) })),
    examplesVersion: versionOf(input.examples),
    // Each language's tabs are saved apart (issue 15): the Danish tabs open with the Danish descriptions.
    examplesVersions: {
      en: versionOf(input.examples),
      da: versionOf(input.examples.map((example) => ({ ...example, query: danishQuery(example.name, example.query) ?? example.query }))),
    },
    production: input.production,
  };
  const html = `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>ungegraf · GraphQL IDE</title>
<link rel="stylesheet" href="assets/${attribute(manifest.style)}">
<script type="application/json" id="ide-config">${jsonForScriptElement(settings)}</script>
<script defer src="assets/${attribute(manifest.script)}"></script>
</head>
<body>
<div id="ide-root"></div>
<noscript>The GraphQL IDE needs JavaScript.</noscript>
</body>
</html>
`;
  return { html, etag: etagOf(html) };
}
