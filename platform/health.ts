/**
 * Liveness and readiness.
 *
 * - `/healthz` (alive): 200 `{"status":"ok"}` while the service serves and is not shutting down, 503
 *   otherwise. Cheap: it asks nothing of anyone.
 * - `/readyz` (ready for traffic): `/healthz`'s state plus every readiness check (the gateway: the
 *   supergraph is loaded and the access log's database answers; the coordination: its database answers;
 *   breakers are reported), 200 or 503 with a JSON body naming what is not ready.
 *
 * Both are answered to anyone who can reach the port, so their bodies hold only states and check names
 * (issue 11: `/readyz` showed the supergraph's file path, and a failing check's error message can name a
 * host). What a check found (`detail`) is for operators: `readiness()` in process, and the log, which
 * gets a line whenever a check's outcome changes.
 *
 * On shutdown the state turns `stopping` first (both 503, so load balancers stop sending) while requests
 * already sent are still served; `stopped` refuses `/graphql` too.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Queryable } from './db/database.js';
import { sendJson } from './httpJson.js';
import { breakerSnapshot } from './metrics.js';

/** Health answers are the state now: never from a cache. */
const NO_STORE = { 'cache-control': 'no-store' } as const;

export type HealthState = 'starting' | 'ok' | 'stopping' | 'stopped';

/**
 * One readiness check's answer. `ok: false` makes the service unready; `detail` is for operators (the
 * log, `readiness()`), never in the public `/readyz` body.
 */
export interface CheckResult {
  ok: boolean;
  detail?: unknown;
}

export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  state: HealthState;
  checks: Record<string, CheckResult>;
  /** The checks that failed (and `state` when the service is not serving). */
  notReady: string[];
}

/** What `/readyz` shows anyone: the state, and per check only whether it passed. */
export interface PublicReadiness {
  status: ReadinessReport['status'];
  state: HealthState;
  checks: Record<string, { ok: boolean }>;
  notReady: string[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 1000;

export class Health {
  private current: HealthState = 'starting';
  private readonly checks = new Map<string, ReadinessCheck>();
  /** Each check's last outcome, so a change (not every probe) is logged. */
  private readonly lastOk = new Map<string, boolean>();

  constructor(
    private readonly checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
    /** Told, with the check's detail, when a check starts or stops failing. */
    private readonly logger?: Logger,
  ) {}

  get state(): HealthState {
    return this.current;
  }

  /** Alive and taking new work (`/healthz` 200). */
  get ready(): boolean {
    return this.current === 'ok';
  }

  /** `/graphql` is answered: while ready and while draining on shutdown. */
  get serving(): boolean {
    return this.current === 'ok' || this.current === 'stopping';
  }

  /** Ready to serve (the gateway: its supergraph is loaded; a subgraph: Apollo Server started). */
  markReady(): void {
    if (this.current === 'starting') this.current = 'ok';
  }

  /** Shutting down: `/healthz` and `/readyz` turn 503, requests still arriving are served. */
  markStopping(): void {
    if (this.current !== 'stopped') this.current = 'stopping';
  }

  /** Stopped: `/graphql` is refused too. */
  markStopped(): void {
    this.current = 'stopped';
  }

  /** Adds (or replaces) a named readiness check, run on every `/readyz` within the check timeout. */
  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check, this.checkTimeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    for (const [name, result] of entries) {
      const before = this.lastOk.get(name);
      this.lastOk.set(name, result.ok);
      if (!result.ok && before !== false) this.logger?.warn({ check: name, detail: result.detail }, 'readiness check failing');
      else if (result.ok && before === false) this.logger?.info({ check: name }, 'readiness check passing again');
    }
    const notReady = entries.filter(([, result]) => !result.ok).map(([name]) => name);
    if (!this.ready) notReady.unshift('state');
    return { status: notReady.length === 0 ? 'ready' : 'not ready', state: this.current, checks, notReady };
  }

  respond(res: ServerResponse): void {
    sendJson(res, this.ready ? 200 : 503, { status: this.current }, NO_STORE);
  }

  async respondReady(res: ServerResponse): Promise<void> {
    const report = publicReadiness(await this.readiness());
    sendJson(res, report.status === 'ready' ? 200 : 503, report, NO_STORE);
  }
}

/** The report without any check's detail: what an unauthenticated caller may see. */
export function publicReadiness(report: ReadinessReport): PublicReadiness {
  return {
    status: report.status,
    state: report.state,
    checks: Object.fromEntries(Object.entries(report.checks).map(([name, result]) => [name, { ok: result.ok }])),
    notReady: report.notReady,
  };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** A readiness check that the database answers `SELECT 1` (the check's timeout bounds the wait). */
export function databaseCheck(db: Queryable): ReadinessCheck {
  return async () => {
    const started = performance.now();
    await db.query('SELECT 1');
    return { ok: true, detail: { ms: Math.round(performance.now() - started) } };
  };
}

/**
 * Reports the breakers of `part` (every part when omitted) without ever making the service unready: an
 * open breaker means the fields of that system or subgraph are null with an error, and the rest is still
 * answered, which is worth serving.
 */
export function breakersCheck(part?: string): ReadinessCheck {
  return () => {
    const open: string[] = [];
    const halfOpen: string[] = [];
    for (const [owner, breakers] of Object.entries(breakerSnapshot(part))) {
      for (const [name, state] of Object.entries(breakers)) {
        const label = part === undefined ? `${owner}/${name}` : name;
        if (state === 'open') open.push(label);
        else if (state === 'half-open') halfOpen.push(label);
      }
    }
    return { ok: true, detail: { open, halfOpen } };
  };
}
