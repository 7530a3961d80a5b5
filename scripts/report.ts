/**
 * `npm run report -- [--url URL] [--token T] [--out FILE] [--from D] [--to D]`: the management report
 * from the gateway as one self-contained HTML file (see scripts/report/cli.ts).
 */
import { runReportCli } from './report/cli.js';

const now = new Date();
process.exitCode = await runReportCli(process.argv.slice(2), {
  env: process.env,
  stderr: (line) => process.stderr.write(`${line}\n`),
  stdout: (line) => process.stdout.write(`${line}\n`),
  today: now.toISOString().slice(0, 10),
  now: () => new Date(),
  progress: process.stderr,
});
