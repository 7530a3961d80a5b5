/**
 * Command lines of the scripts and benchmarks, read one way: node's util.parseArgs in strict mode, so
 * an unknown option, an option without its value or a stray argument is refused with parseArgs' own
 * message (naming the option) and the program's usage, exit code 2, before anything runs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

interface Settings {
  allowPositionals?: boolean;
  /** Where a refusal is written; default stderr. */
  err?: (text: string) => void;
}

/** `argv` read against `options` (strict); a command line that does not fit throws UsageError. */
export function parseCommandLine<const O extends Options>(argv: readonly string[], options: O, settings: Settings = {}) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: settings.allowPositionals ?? false });
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}

/** The message for a refused command line: the reason, then the usage. */
export function usageMessage(error: UsageError, usage: string): string {
  return `error: ${error.message}\n\n${usage.trimEnd()}\n`;
}

/**
 * As parseCommandLine, for a command that answers its exit code: a refusal is written (the reason, then
 * `usage`) and answered with undefined, for the caller to return 2.
 */
export function parseOrExplain<const O extends Options>(argv: readonly string[], options: O, usage: string, settings: Settings = {}) {
  try {
    return parseCommandLine(argv, options, settings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    (settings.err ?? ((text: string) => void process.stderr.write(text)))(usageMessage(error, usage));
    return undefined;
  }
}

/** As parseCommandLine, for a program's own command line: a refusal prints the reason and `usage` and exits 2. */
export function commandLine<const O extends Options>(argv: readonly string[], options: O, usage: string, settings: Settings = {}) {
  return parseOrExplain(argv, options, usage, settings) ?? process.exit(2);
}
