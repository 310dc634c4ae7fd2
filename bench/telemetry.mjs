// Issue 23: what the OpenTelemetry hook costs on a create, in one run and one process, against a handler
// without it: `none` (no telemetry option), `noSdk` (the option given with @opentelemetry/api's tracer
// and meter, no SDK registered: what an app that installed the API but no SDK pays, every call a no-op)
// and `sdk` (the SDK recording: BasicTracerProvider with a batch processor into an in-memory exporter, a
// MeterProvider with a reader). Each create is `POST {basePath}/sessions` on the handler directly (no
// HTTP), over the mock upstream in-process, budgets off.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { metrics, trace } from '@opentelemetry/api';
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { repo } from './lib/pages.mjs';
import { median, summary } from './lib/stats.mjs';

const KEY = 'test-key-not-secret';
const CREATE = () => new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' });

export async function telemetryBench({ quick }) {
  const rounds = quick ? 12 : 60;
  const perRound = quick ? 200 : 400;
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
  // Two clocks: wall time, and this process's CPU time (process.cpuUsage), which other processes on a
  // shared machine do not inflate. Each round measures the three back to back (rotating which goes
  // first), and the overhead is the median of the per-round differences against `none`: paired, so a
  // slow stretch of the machine lands on both sides of a difference.
  const wallUs = Object.fromEntries(names.map((name) => [name, []]));
  const cpuUs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -3; round < rounds; round += 1) {
    const order = names.map((_, i) => names[(i + Math.max(0, round)) % names.length]);
    for (const name of order) {
      // A fresh handler (and store) per measurement, outside the timing; the first rounds warm up.
      const handler = handlerFor(configs[name]);
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < perRound; i += 1) {
        const response = await handler(CREATE());
        if (response.status !== 201) throw new Error(`create answered ${response.status}`);
        await response.arrayBuffer();
      }
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (round >= 0) {
        wallUs[name].push((wall * 1000) / perRound);
        cpuUs[name].push((used.user + used.system) / perRound);
      }
      spans.reset();
    }
  }
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  const overhead = (series, name) => {
    const diffs = series[name].map((value, i) => value - series.none[i]);
    const us = median(diffs);
    return { us: Number(us.toFixed(2)), percent: Number(((us / median(series.none)) * 100).toFixed(1)), pairedDiffs: summary(diffs, 1) };
  };
  return {
    rounds,
    createsPerRound: perRound,
    wallUsPerCreate: Object.fromEntries(names.map((name) => [name, summary(wallUs[name], 1)])),
    cpuUsPerCreate: Object.fromEntries(names.map((name) => [name, summary(cpuUs[name], 1)])),
    overheadNoSdk: { cpu: overhead(cpuUs, 'noSdk'), wall: overhead(wallUs, 'noSdk') },
    overheadSdk: { cpu: overhead(cpuUs, 'sdk'), wall: overhead(wallUs, 'sdk') },
  };
}
