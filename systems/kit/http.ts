import type { IncomingMessage } from 'node:http';

/** JSON in and out for the simulated systems (bodies are small; a megabyte is plenty). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An answer other than 200; the body is what the legacy system would send (Danish, its own shape). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** The legacy systems' error shape: `{ "fejl": "...", "kode": 400 }`. */
export function fail(status: number, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { fejl: message, kode: status }, headers);
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw fail(413, 'Forespørgslen er for stor');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw fail(400, 'Forespørgslen mangler en JSON-krop');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fail(400, 'Ugyldig JSON i forespørgslen');
  }
}

/** A list of strings under `field` in a JSON body, or 400. */
export function stringList(body: unknown, field: string): string[] {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw fail(400, `Feltet "${field}" skal være en liste af CPR-numre`);
  }
  return value;
}

/** Comma-separated query values (`?cpr=A,B`), empty entries dropped. */
export function commaList(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A whole number query parameter within bounds, `fallback` when absent, 400 otherwise. */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw fail(400, `Parameteren "${name}" skal være et heltal fra ${min} til ${max}`);
  }
  return value;
}

/** Refuses a batch over the system's limit the way the legacy systems do: 400 and a Danish message. */
export function enforceBatchLimit(count: number, limit: number): void {
  if (count > limit) throw fail(400, `For mange CPR-numre i ét opslag: ${count} (højst ${limit})`);
}
