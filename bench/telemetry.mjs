// Issue 23: what the OpenTelemetry hook costs on a create, in one run and one process, against a handler
// without it: `none` (no telemetry option), `noSdk` (the option given with @opentelemetry/api's tracer
// and meter, no SDK registered: what an app that installed the API but no SDK pays, every call a no-op)
// and `sdk` (the SDK recording: BasicTracerProvider with a batch processor into an in-memory exporter, a
// MeterProvider with a reader). Each create is `POST {basePath}/sessions` on the handler directly (no
// HTTP), over the mock upstream in-process, budgets off. Rounds rotate the order of the three.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { metrics, trace } from '@opentelemetry/api';
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { repo } from './lib/pages.mjs';
import { median, summary } from './lib/stats.mjs';

const KEY = 'test-key-not-secret';
const CREATE = () =>
  new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' });

export async function telemetryBench({ quick }) {
  const rounds = quick ? 10 : 30;
  const perRound = quick ? 300 : 1000;
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const configs = {
    none: undefined,
    // Nothing registered globally: the API hands out its no-op tracer and meter.
    noSdk: { tracer: trace.getTracer('react-liveness-session'), meter: metrics.getMeter('react-liveness-session') },
    sdk: { tracer: tracerProvider.getTracer('react-liveness-session'), meter: meterProvider.getMeter('react-liveness-session') },
  };
  const handlerFor = (telemetry) => {
    const mock = testing.createMockUpstream({ apiKey: KEY });
    return server.createLivenessHandler({
      apiKey: KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: 'https://app.example.test',
      fetch: mock.fetch,
      upstreamRateLimit: false,
      clientRateLimit: false,
      backgroundTimers: false,
      ...(telemetry ? { telemetry } : {}),
    });
  };
  const names = Object.keys(configs);
  const perCreateUs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -2; round < rounds; round += 1) {
    // A fresh handler (and store) per round, outside the timing; the first two rounds warm up.
    const order = names.map((_, i) => names[(i + Math.max(0, round)) % names.length]);
    for (const name of order) {
      const handler = handlerFor(configs[name]);
      const started = performance.now();
      for (let i = 0; i < perRound; i += 1) {
        const response = await handler(CREATE());
        if (response.status !== 201) throw new Error(`create answered ${response.status}`);
        await response.arrayBuffer();
      }
      if (round >= 0) perCreateUs[name].push(((performance.now() - started) * 1000) / perRound);
      spans.reset();
    }
  }
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  // Medians of the rounds, and their fastest rounds: on a shared machine the fastest round is the one
  // least disturbed by others, so both are reported.
  const overhead = (name, pick) => {
    const none = pick(perCreateUs.none);
    const value = pick(perCreateUs[name]);
    return { us: Number((value - none).toFixed(2)), percent: Number((((value - none) / none) * 100).toFixed(1)) };
  };
  const fastest = (values) => Math.min(...values);
  return {
    rounds,
    createsPerRound: perRound,
    perCreateUs: Object.fromEntries(names.map((name) => [name, summary(perCreateUs[name], 1)])),
    overheadNoSdk: overhead('noSdk', median),
    overheadSdk: overhead('sdk', median),
    overheadNoSdkFastestRound: overhead('noSdk', fastest),
    overheadSdkFastestRound: overhead('sdk', fastest),
  };
}
