// docs/examples/telemetry/instrumentation.mjs
// Loaded before the app (node --import ./instrumentation.mjs server.js), so the SDK is registered
// before the handler asks for its tracer and meter. Tried with @opentelemetry/sdk-node 0.223.0, the
// OTLP exporters 0.223.0 and @opentelemetry/sdk-metrics 2.12.0 on Node 20 (those need no Node 22).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

// Both exporters send to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318).
const sdk = new NodeSDK({
  serviceName: 'my-app',
  traceExporter: new OTLPTraceExporter(),
  metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }),
});
sdk.start();
process.on('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)));
