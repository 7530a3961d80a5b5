import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Generated files are committed and checked in CI: either write `rendered` to `target`, or (with
 * `check`) fail when the committed file differs, saying which command regenerates it.
 */
export interface GeneratedFile {
  target: string;
  rendered: string;
  check: boolean;
  /** What the file is generated from, for the message (e.g. `schema/supergraph.graphql`). */
  source: string;
  /** The npm script that writes it, e.g. `deploy:manifests`; its check is `<prefix>:check`. */
  writeScript: string;
  checkScript: string;
}

export function writeOrCheck(file: GeneratedFile): number {
  const shown = relative(process.cwd(), file.target) || file.target;
  if (!file.check) {
    writeFileSync(file.target, file.rendered);
    process.stdout.write(`${file.writeScript}: wrote ${shown}\n`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(file.target, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    // missing: reported as stale below
  }
  if (committed !== file.rendered) {
    process.stderr.write(
      `${file.checkScript}: ${shown} is out of date with ${file.source}; run \`npm run ${file.writeScript}\` and commit it.\n`,
    );
    return 1;
  }
  process.stdout.write(`${file.checkScript}: ${shown} is up to date.\n`);
  return 0;
}
