// @vitest-environment node
// OpenTelemetry, through the SDK's own in-memory span exporter and metric reader: the spans and metrics
// of one full verification, and that no attribute anywhere carries a secret or anything that joins a
// trace to a person.
import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLivenessHandler, type LivenessTelemetry, type VerifiedSession } from '../../../src/server.js';
import { API_KEY, BASE, createSession, phoneFlow, postSession, request, setup, tokenOf, UPSTREAM_URL } from '../helpers.js';

const SUBJECT = 'user-7f3a-subject-not-for-traces';
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  // What an app's Node SDK registers: spans started inside a route become its children.
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

interface Recorder {
  telemetry: LivenessTelemetry;
  tracer: Tracer;
  spans(): ReadableSpan[];
  metrics(): Promise<MetricData[]>;
}

function recorder(): Recorder {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const tracer = tracerProvider.getTracer('react-liveness-session');
  return {
    telemetry: { tracer, meter: meterProvider.getMeter('react-liveness-session') },
    tracer,
    spans: () => spanExporter.getFinishedSpans(),
    async metrics() {
      await reader.forceFlush();
      return (
        metricExporter
          .getMetrics()
          .at(-1)
          ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? []
      );
    },
  };
}

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

function one(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  expect(
    found.map((span) => span.name),
    `spans named ${name}`,
  ).toEqual([name]);
  return found[0]!;
}

/** The data points of a metric, as `[attributes, value]` (a sum's value, or a histogram's count). */
function points(metrics: MetricData[], name: string): [Record<string, unknown>, number][] {
  const metric = metrics.find((candidate) => candidate.descriptor.name === name);
  if (!metric) return [];
  return metric.dataPoints.map((point) => [{ ...point.attributes }, metric.dataPointType === DataPointType.HISTOGRAM ? (point.value as { count: number }).count : (point.value as number)]);
}

/** Everything an exporter would send about spans and metrics, as one text to search. */
function exported(spans: ReadableSpan[], metrics: MetricData[]): string {
  return JSON.stringify([
    spans.map((span) => [span.name, span.attributes, span.events, span.links, span.status, span.resource.attributes]),
    metrics.map((metric) => [metric.descriptor, metric.dataPoints.map((point) => point.attributes)]),
  ]);
}

describe('telemetry of one full verification (create → phone Pass → callback → result → onVerified)', () => {
  let rec: Recorder;
  let verified: VerifiedSession | undefined;
  let secrets: Record<string, string>;
  let streamOpen: [Record<string, unknown>, number][];

  beforeAll(async () => {
    rec = recorder();
    const { handler, mock } = setup(
      {
        telemetry: rec.telemetry,
        authorize: () => ({ subject: SUBJECT }),
        onVerified: async (result) => {
          // The app's own work (a database write) nests under the hook's span.
          await rec.tracer.startActiveSpan('app.db.write', async (span) => {
            verified = result;
            span.end();
          });
        },
      },
      // A measurable upstream call, so its span's explicit start time can be checked.
      { latencyMs: 30 },
    );
    const created = await createSession(handler);
    // The desktop listens for the outcome: one open stream, closed once the outcome is sent.
    const stream = await handler(request(created.eventsUrl!));
    streamOpen = points(await rec.metrics(), 'liveness.event_stream.active');
    const flow = await phoneFlow({ mock, handler }, created, 'pass');
    expect(flow.callback.status).toBe(200);
    expect(await stream.text()).toContain('"status":"verified"');
    const token = tokenOf(created.h5Link);
    secrets = {
      apiKey: API_KEY,
      h5Link: created.h5Link,
      bytedToken: token,
      qrUrl: created.qrUrl!,
      shortLinkKey: created.qrUrl!.split('/').at(-1)!,
      sessionId: created.sessionId,
      groupId: verified!.groupId,
      subject: SUBJECT,
      callbackQuery: new URL(flow.callbackUrl).search,
    };
  });

  it('spans: create and its upstream call, callback with its result call and onVerified, the app span under it', () => {
    const spans = rec.spans();
    const create = one(spans, `POST ${BASE}/sessions`);
    expect(create.kind).toBe(1); // SERVER
    expect(create.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': `${BASE}/sessions`,
      'http.response.status_code': 201,
      'url.scheme': 'https',
      'server.address': 'app.example.test',
      'server.port': 443,
    });

    const upstreamCreate = one(spans, 'POST /volc/asset/CreateVisualValidateSession');
    expect(upstreamCreate.kind).toBe(2); // CLIENT
    expect(parentOf(upstreamCreate)).toBe(spanId(create));
    expect(upstreamCreate.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': new URL(UPSTREAM_URL).hostname,
      'server.port': 443,
      'url.template': '/volc/asset/CreateVisualValidateSession',
      'http.response.status_code': 200,
      'liveness.upstream.action': 'create',
      'liveness.upstream.outcome': 'ok',
    });
    // Built from the event after the call, with the call's own start: it lasts the mock's 30 ms, inside the route's span.
    expect(ms(upstreamCreate.duration)).toBeGreaterThanOrEqual(25);
    expect(ms(upstreamCreate.startTime)).toBeGreaterThanOrEqual(ms(create.startTime) - 5);
    expect(ms(upstreamCreate.endTime)).toBeLessThanOrEqual(ms(create.endTime) + 5);

    const callback = one(spans, `GET ${BASE}/callback`);
    expect(callback.kind).toBe(1);
    expect(callback.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': `${BASE}/callback`, 'http.response.status_code': 200 });

    const result = one(spans, 'POST /volc/asset/GetVisualValidateResult');
    expect(parentOf(result)).toBe(spanId(callback));
    expect(result.attributes).toMatchObject({ 'liveness.upstream.action': 'result', 'liveness.result.check': 'callback', 'http.response.status_code': 200 });

    const hook = one(spans, 'liveness onVerified');
    expect(hook.kind).toBe(0); // INTERNAL
    expect(parentOf(hook)).toBe(spanId(callback));
    expect(hook.status.code).toBe(0); // UNSET: it succeeded
    expect(parentOf(one(spans, 'app.db.write'))).toBe(spanId(hook));

    // Status polls, the short link and the event stream get no spans of their own: only what the issue names.
    expect(spans.map((span) => span.name).sort()).toEqual(
      [`GET ${BASE}/callback`, `POST ${BASE}/sessions`, 'POST /volc/asset/CreateVisualValidateSession', 'POST /volc/asset/GetVisualValidateResult', 'app.db.write', 'liveness onVerified'].sort(),
    );
  });

  it('metrics: one session created, one outcome verified, upstream latency by action and status class, the stream counted while open', async () => {
    const metrics = await rec.metrics();
    expect(points(metrics, 'liveness.session.created')).toEqual([[{}, 1]]);
    expect(points(metrics, 'liveness.session.outcome')).toEqual([[{ 'liveness.outcome': 'verified' }, 1]]);
    expect(points(metrics, 'liveness.upstream.request.duration')).toEqual([
      [{ 'liveness.upstream.action': 'create', 'liveness.upstream.status_class': '2xx' }, 1],
      [{ 'liveness.upstream.action': 'result', 'liveness.upstream.status_class': '2xx' }, 1],
    ]);
    const duration = metrics.find((metric) => metric.descriptor.name === 'liveness.upstream.request.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    const create = duration.dataPoints[0]!.value as { sum: number };
    expect(create.sum).toBeGreaterThanOrEqual(0.025);
    expect(create.sum).toBeLessThan(30);
    expect(streamOpen).toEqual([[{}, 1]]);
    expect(points(metrics, 'liveness.event_stream.active')).toEqual([[{}, 0]]);
    expect(points(metrics, 'liveness.result.retries')).toEqual([]);
    expect(points(metrics, 'liveness.budget.waits')).toEqual([]);
  });

  it('no span name, attribute, event, status or metric attribute carries a secret, the session id, the GroupId or the subject', async () => {
    const text = exported(rec.spans(), await rec.metrics());
    expect(text.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(text.includes(value), `${name} in the telemetry`).toBe(false);
    }
  });
});

describe('telemetry of the harder paths', () => {
  afterEach(() => undefined);

  it('result retries, outcomes by reason and budget waits by lane are counted', async () => {
    const rec = recorder();
    const { handler, mock } = setup({
      telemetry: rec.telemetry,
      upstreamRateLimit: { requests: 3, perMs: 60_000 },
      clientRateLimit: { requests: 1, perMs: 60_000 },
      clientKey: (req) => req.headers.get('x-client') ?? undefined,
    });
    const first = await createSession(handler);
    expect((await postSession(handler, {}, { 'x-client': 'a' })).status).toBe(201);
    // Client "a" spent its own budget (1 a minute): a wait in lane "client".
    expect((await postSession(handler, {}, { 'x-client': 'a' })).status).toBe(429);
    expect((await postSession(handler, {}, { 'x-client': 'b' })).status).toBe(201);
    // The upstream's create budget (3 a minute) is spent: a wait in lane "create".
    expect((await postSession(handler, {}, { 'x-client': 'c' })).status).toBe(429);
    // The first result call fails (500): a retry; then a failed check elsewhere: an outcome with its reason.
    mock.failNext('serverError', 'result');
    await phoneFlow({ mock, handler }, first, 'pass');
    const metrics = await rec.metrics();
    expect(points(metrics, 'liveness.budget.waits')).toEqual(
      expect.arrayContaining([
        [{ 'liveness.budget.lane': 'client' }, 1],
        [{ 'liveness.budget.lane': 'create' }, 1],
      ]),
    );
    expect(points(metrics, 'liveness.result.retries')).toEqual([[{ 'liveness.result.check': 'callback', 'liveness.retry.cause': 'upstream' }, 1]]);
    expect(points(metrics, 'liveness.upstream.request.duration')).toEqual(
      expect.arrayContaining([[{ 'liveness.upstream.action': 'result', 'liveness.upstream.status_class': '5xx', 'error.type': 'http' }, 1]]),
    );
    const failedCall = rec.spans().find((span) => span.name === 'POST /volc/asset/GetVisualValidateResult')!;
    expect(failedCall.status.code).toBe(2); // ERROR
    expect(failedCall.attributes['error.type']).toBe('http');
  });

  it('links sent to a phone (issue 24): counted by channel and outcome, the send route in a span of its template; never the number, the address, the link or the session id', async () => {
    const rec = recorder();
    const phone = '+447700900123';
    const email = 'person@example.test';
    let fail = false;
    const { handler } = setup({
      telemetry: rec.telemetry,
      sendLink: async (message) => {
        // The app's own call to its provider nests under the route's span.
        await rec.tracer.startActiveSpan('app.sms.send', async (span) => {
          span.end();
          if (fail) throw new Error(`provider refused ${message.to} for ${message.link}`);
        });
      },
    });
    const created = await createSession(handler);
    const post = (body: unknown) =>
      handler(request(created.sendUrl!, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Liveness-Owner-Key': created.ownerKey! }, body: JSON.stringify(body) }));
    expect((await post({ channel: 'sms', to: phone })).status).toBe(200);
    fail = true;
    expect((await post({ channel: 'email', to: email })).status).toBe(502);
    const metrics = await rec.metrics();
    expect(points(metrics, 'liveness.link.sends')).toEqual([
      [{ 'liveness.link.channel': 'sms', 'liveness.link.outcome': 'sent' }, 1],
      [{ 'liveness.link.channel': 'email', 'liveness.link.outcome': 'failed', 'error.type': 'send_error' }, 1],
    ]);
    const routes = rec.spans().filter((span) => span.name === `POST ${BASE}/sessions/:id/send`);
    expect(routes.map((span) => span.attributes['http.response.status_code'])).toEqual([200, 502]);
    expect(routes[1]!.status.code).toBe(2); // ERROR: a 5xx
    const own = rec.spans().filter((span) => span.name === 'app.sms.send');
    expect(own.map((span) => parentOf(span))).toEqual(routes.map((span) => spanId(span)));
    const text = exported(rec.spans(), metrics);
    for (const secret of [phone, phone.slice(1), email, created.qrUrl!, created.qrUrl!.split('/').pop()!, created.sessionId, created.ownerKey!, created.h5Link]) {
      expect(text.includes(secret), `${secret.slice(0, 12)}… in the telemetry`).toBe(false);
    }
  });

  it('a failed check is an outcome with its reason', async () => {
    const rec = recorder();
    const { handler, mock } = setup({ telemetry: rec.telemetry });
    await phoneFlow({ mock, handler }, await createSession(handler), 'fail');
    expect(points(await rec.metrics(), 'liveness.session.outcome')).toEqual([[{ 'liveness.outcome': 'failed', 'liveness.failure.reason': 'unknown' }, 1]]);
  });

  it('an onVerified that throws: its span says so by the class of the error, never its message', async () => {
    const rec = recorder();
    class DatabaseDown extends Error {}
    let calls = 0;
    const { handler, mock } = setup({
      telemetry: rec.telemetry,
      onVerified: () => {
        calls += 1;
        throw new DatabaseDown('insert into verifications (group_id) values (group-secret) failed');
      },
    });
    await phoneFlow({ mock, handler }, await createSession(handler), 'pass');
    expect(calls).toBe(1);
    const hook = rec.spans().find((span) => span.name === 'liveness onVerified')!;
    expect(hook.status.code).toBe(2);
    expect(hook.attributes['error.type']).toBe('DatabaseDown');
    expect(JSON.stringify([hook.attributes, hook.events, hook.status])).not.toContain('group-secret');
    expect(points(await rec.metrics(), 'liveness.result.retries')).toEqual([[{ 'liveness.result.check': 'persist', 'liveness.retry.cause': 'on_verified_failed' }, 1]]);
  });

  it('a tracer and a meter that throw everywhere never change an answer', async () => {
    const broken = () => {
      throw new Error('exporter down');
    };
    const telemetry = {
      tracer: { startSpan: broken, startActiveSpan: broken },
      meter: { createCounter: () => ({ add: broken }), createUpDownCounter: () => ({ add: broken }), createHistogram: () => ({ record: broken }) },
    } as unknown as LivenessTelemetry;
    const { handler, mock } = setup({ telemetry, onVerified: async () => undefined });
    const created = await createSession(handler);
    const stream = await handler(request(created.eventsUrl!));
    const { callback } = await phoneFlow({ mock, handler }, created, 'pass');
    expect(callback.status).toBe(200);
    expect(await stream.text()).toContain('"status":"verified"');
  });

  it('spans whose methods throw never change an answer either', async () => {
    const span = {
      setAttribute: () => {
        throw new Error('x');
      },
      setStatus: () => {
        throw new Error('x');
      },
      end: () => {
        throw new Error('x');
      },
    };
    const telemetry: LivenessTelemetry = {
      tracer: { startSpan: () => span, startActiveSpan: (_name, _options, fn) => fn(span) as never },
    };
    const { handler, mock } = setup({ telemetry, onVerified: async () => undefined });
    const created = await createSession(handler);
    const { callback } = await phoneFlow({ mock, handler }, created, 'pass');
    expect(callback.status).toBe(200);
  });

  it('refuses a telemetry option that is not a tracer or a meter, naming it', () => {
    expect(() => createLivenessHandler({ apiKey: API_KEY, telemetry: { tracer: {} } as never })).toThrow(/telemetry\.tracer must be an OpenTelemetry Tracer/);
    expect(() => createLivenessHandler({ apiKey: API_KEY, telemetry: { meter: { createCounter: () => undefined } } as never })).toThrow(/telemetry\.meter/);
    expect(() => createLivenessHandler({ apiKey: API_KEY, telemetry: 'otel' as never })).toThrow(/telemetry must be an object/);
  });
});
