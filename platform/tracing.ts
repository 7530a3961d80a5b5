/**
 * OpenTelemetry tracing, configured by the standard `OTEL_*` variables: spans exported over OTLP/HTTP
 * (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` is appended) or exactly to
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; `OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_TRACES_SAMPLER`, ... apply as the SDK reads them.
 *
 * On or off, by the specification's switches plus one rule of ours:
 * - `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`: off.
 * - otherwise on when an exporter is configured: an OTLP endpoint is set, or `OTEL_TRACES_EXPORTER=otlp`
 *   (then the specification's default endpoint, http://localhost:4318).
 * - nothing configured: off. The specification would export to localhost:4318 by default; on a laptop or
 *   in CI there is no collector there, and every batch would fail. Deployments set the endpoint
 *   (deploy/k8s/config.yaml) and switch tracing with `OTEL_SDK_DISABLED`.
 * `OTEL_ENABLED` (this project's own switch before the standard one) still works, with a warning.
 *
 * @apollo/gateway emits its spans (`gateway.request`, `gateway.plan`, `gateway.execute`,
 * `gateway.fetch`, ...) through @opentelemetry/api once an SDK is registered; the undici instrumentation
 * traces the gateway's subgraph calls and sends `traceparent` on, the http instrumentation traces
 * incoming requests and the system clients' calls. Metrics stay with Prometheus (`/metrics`) and logs
 * with pino: only traces are exported.
 *
 * When off, nothing of the SDK is loaded (the imports are dynamic).
 */
import type { Logger } from 'pino';
import { ConfigError, readBool, readOptionalString } from './env.js';

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  /** The traces endpoint; undefined: the exporter's default (http://localhost:4318/v1/traces). */
  tracesUrl: string | undefined;
  /** Deprecated settings in use, said once when tracing starts. */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

export function loadTracingConfig(defaultServiceName: string, env: Env = process.env): TracingConfig {
  const base = readOptionalString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const traces = readOptionalString(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const disabled = readBool(env, 'OTEL_SDK_DISABLED', false);
  const exporter = readOptionalString(env, 'OTEL_TRACES_EXPORTER')?.trim().toLowerCase();
  if (exporter !== undefined && exporter !== 'otlp' && exporter !== 'none') {
    throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp or none (spans go out over OTLP/HTTP only), got "${exporter}"`);
  }
  const warnings: string[] = [];
  // The deprecated switch: read only when set, so it is no setting of its own (.env.example).
  const legacy = env.OTEL_ENABLED === undefined || env.OTEL_ENABLED === '' ? undefined : readBool(env, 'OTEL_ENABLED', false);
  if (legacy !== undefined)
    warnings.push('OTEL_ENABLED is deprecated: tracing is on when an OTLP endpoint is set, off with OTEL_SDK_DISABLED=true');
  const configured = base !== undefined || traces !== undefined || exporter === 'otlp';
  return {
    enabled: !disabled && exporter !== 'none' && (legacy ?? configured),
    serviceName: readOptionalString(env, 'OTEL_SERVICE_NAME') ?? defaultServiceName,
    tracesUrl: traces ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined),
    warnings,
  };
}

export interface Tracing {
  enabled: boolean;
  /** Exports the spans still buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => undefined };

/** Paths whose requests are not traced: probes and scrapes would drown the traces that matter. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/health']);

/**
 * Starts the SDK when enabled. Call it first thing in a process (before its servers are built), so the
 * instrumentations see the modules they patch.
 */
export async function startTracing(config: TracingConfig, logger?: Logger): Promise<Tracing> {
  for (const warning of config.warnings) logger?.warn(warning);
  if (!config.enabled) return OFF;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { UndiciInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    traceExporter: new OTLPTraceExporter(config.tracesUrl ? { url: config.tracesUrl } : {}),
    // Traces only: no OTLP metrics or logs (Prometheus and pino have those).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(new URL(req.url ?? '/', 'http://x').pathname),
        // The exporter's own POSTs are not traced.
        ignoreOutgoingRequestHook: (options) => typeof options.path === 'string' && options.path.startsWith('/v1/'),
      }),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  logger?.info(
    { serviceName: config.serviceName, endpoint: config.tracesUrl ?? 'http://localhost:4318/v1/traces' },
    'tracing on (OTLP/HTTP)',
  );
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopped ??= sdk.shutdown().catch((error: unknown) => logger?.warn({ err: error }, 'tracing did not shut down cleanly'))),
  };
}
