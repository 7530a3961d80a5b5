/**
 * OpenTelemetry tracing, switched on by configuration: `OTEL_ENABLED=true`, spans exported over OTLP/HTTP
 * to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318; `/v1/traces` is appended) or exactly
 * to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. The standard `OTEL_*` variables (`OTEL_SERVICE_NAME`,
 * `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER`, ...) apply as the SDK reads them.
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
import { readBool, readOptionalString } from './env.js';

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  /** The traces endpoint; undefined: the exporter's default (http://localhost:4318/v1/traces). */
  tracesUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

export function loadTracingConfig(defaultServiceName: string, env: Env = process.env): TracingConfig {
  const base = readOptionalString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const traces = readOptionalString(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  return {
    enabled: readBool(env, 'OTEL_ENABLED', false),
    serviceName: readOptionalString(env, 'OTEL_SERVICE_NAME') ?? defaultServiceName,
    tracesUrl: traces ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined),
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
  logger?.info({ serviceName: config.serviceName, endpoint: config.tracesUrl ?? 'http://localhost:4318/v1/traces' }, 'tracing on (OTLP/HTTP)');
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopped ??= sdk.shutdown().catch((error: unknown) => logger?.warn({ err: error }, 'tracing did not shut down cleanly'))),
  };
}
