import type { LivenessServerEvent } from '../events.js';
import type { OnVerifiedContext, VerifiedSession } from '../handlerOptions.js';
import type { BudgetLane, UpstreamBudget } from '../upstream/upstreamBudget.js';
import type { LivenessTelemetry, TelemetryAttributes, TelemetrySpan, TelemetrySpanOptions, TelemetryTracer } from './telemetryTypes.js';

// Values fixed by the OpenTelemetry API since 1.0 (`SpanKind`, `SpanStatusCode`), written out so the
// package never imports it.
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

// Seconds, as the HTTP semantic conventions measure durations. Anyfast holds a connection while it
// relays to BytePlus: 12 s happen, and the handler waits 30 s by default.
const UPSTREAM_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60];

// Upstream failures that are no answer at all (or a refusal). "Not found" and "not ready" are answers a
// result call expects (the person has not finished): not errors.
const NO_ANSWER = new Set(['timeout', 'unreachable', 'unavailable', 'unauthorized', 'http', 'bad_response']);

type OnVerified = (result: VerifiedSession, context: OnVerifiedContext) => void | Promise<void>;

/** What the handler needs from its telemetry; see {@link handlerTelemetry}. */
export interface HandlerTelemetry {
  /** Wraps the handler's event emitter: every event also feeds the metrics and the upstream spans. */
  emitter(next: (event: LivenessServerEvent) => void): (event: LivenessServerEvent) => void;
  /** Runs a route inside a server span named after its `http.route`. */
  route(route: string, request: Request, url: URL, run: () => Promise<Response>): Promise<Response>;
  /** The app's `onVerified` inside a span (so its own database spans nest under it). */
  onVerified(hook: OnVerified | undefined): OnVerified | undefined;
  /** Counts every refused budget slot: someone waits (a result call later, a browser after its 429). */
  watchBudget(budget: UpstreamBudget): UpstreamBudget;
  /** The handler's count of open event streams, reported as it changes. */
  streams(): { open: number };
}

/** Runs a telemetry call; an SDK or exporter that throws must never change the answer a person gets. */
function quietly(run: () => void): void {
  try {
    run();
  } catch {
    // Telemetry is a bystander.
  }
}

function made<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/**
 * `tracer.startActiveSpan(name, options, body)`, falling back to running the work without a span when
 * the tracer throws before it ran it.
 */
function activeSpan<T>(tracer: TelemetryTracer, name: string, options: TelemetrySpanOptions, body: (span: TelemetrySpan) => Promise<T>, bare: () => Promise<T>): Promise<T> {
  let running: Promise<T> | undefined;
  try {
    // What it returns is `running` (or whatever a tracer makes of it): the caller gets `running` below.
    void tracer.startActiveSpan(name, options, (span: TelemetrySpan) => (running = body(span)));
  } catch {
    // Broken tracer: the work runs (or already runs) all the same.
  }
  return running ?? bare();
}

/** An exception's class name (code, never data); its message may hold anything, so it is never read. */
function errorType(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : undefined;
  return name && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : 'Error';
}

function hostAndPort(base: string): { 'server.address': string; 'server.port': number } {
  const url = new URL(base);
  return { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
}

/** Where the request was addressed, as the client saw it: `publicUrl` when set (behind a proxy the request's own URL may say http). */
function addressed(base: string): TelemetryAttributes {
  return { 'url.scheme': new URL(base).protocol.replace(/:$/, ''), ...hostAndPort(base) };
}

/**
 * Spans and metrics of one handler, built from the events it already emits (each carries its
 * duration, so an upstream call becomes a span with an explicit start time) and from three wrappers
 * (the routes, `onVerified`, the budget), so that no route knows about telemetry. `undefined` without
 * a tracer or a meter: then nothing is wrapped and nothing costs anything.
 *
 * What goes into attributes is chosen field by field from those events and from the request's method
 * and route, never copied wholesale: no API key, H5 link, byted token, GroupId, subject, session id,
 * query string or client address can reach them. The session id is left out on purpose: it is the key
 * under which the app stores who verified (`onVerified` is told to write by `sessionId`), so in a
 * tracing backend it would join every trace to a person; the app's own `onEvent` logs carry it, under
 * the app's retention.
 */
export function handlerTelemetry(telemetry: LivenessTelemetry | undefined, settings: { upstreamUrl: string; publicUrl: string | undefined }): HandlerTelemetry | undefined {
  const tracer: TelemetryTracer | undefined = telemetry?.tracer;
  const meter = telemetry?.meter;
  if (!tracer && !meter) return undefined;

  const created = meter && made(() => meter.createCounter('liveness.session.created', { description: 'Sessions created', unit: '{session}' }));
  const outcomes =
    meter &&
    made(() =>
      meter.createCounter('liveness.session.outcome', {
        description: 'Sessions decided, by outcome and reason',
        unit: '{session}',
      }),
    );
  const upstreamDuration =
    meter &&
    made(() =>
      meter.createHistogram('liveness.upstream.request.duration', {
        description: 'Duration of upstream calls',
        unit: 's',
        advice: { explicitBucketBoundaries: UPSTREAM_BUCKETS_S },
      }),
    );
  const retries =
    meter &&
    made(() =>
      meter.createCounter('liveness.result.retries', {
        description: 'Result or onVerified calls retried',
        unit: '{retry}',
      }),
    );
  const waits =
    meter &&
    made(() =>
      meter.createCounter('liveness.budget.waits', {
        description: 'Upstream budget slots refused',
        unit: '{wait}',
      }),
    );
  const sends =
    meter &&
    made(() =>
      meter.createCounter('liveness.link.sends', {
        description: "Links sent to a phone through the app's sendLink, by channel and outcome",
        unit: '{message}',
      }),
    );
  const upstreamServer = hostAndPort(settings.upstreamUrl);
  const upstreamBase = `${new URL(settings.upstreamUrl).pathname.replace(/\/+$/, '')}/volc/asset/`;
  const templates = {
    create: `${upstreamBase}CreateVisualValidateSession`,
    result: `${upstreamBase}GetVisualValidateResult`,
    create_asset: `${upstreamBase}CreateAsset`,
    list_assets: `${upstreamBase}ListAssets`,
  };
  const publicAddress = settings.publicUrl ? addressed(settings.publicUrl) : undefined;

  function upstreamSpan(event: LivenessServerEvent, action: keyof typeof templates, failure: string | undefined): void {
    if (!tracer) return;
    const end = Date.now();
    const template = templates[action];
    const attributes: TelemetryAttributes = {
      'http.request.method': 'POST',
      ...upstreamServer,
      'url.template': template,
      'liveness.upstream.action': action,
      'liveness.upstream.outcome': failure ?? 'ok',
    };
    if (event.upstreamStatus !== undefined) attributes['http.response.status_code'] = event.upstreamStatus;
    if (event.check !== undefined) attributes['liveness.result.check'] = event.check;
    // Started where the call started: its parent is whatever span is active now (the route's, or the app's).
    const span = tracer.startSpan(`POST ${template}`, { kind: SPAN_KIND_CLIENT, startTime: end - (event.durationMs ?? 0), attributes });
    if (failure !== undefined && NO_ANSWER.has(failure)) {
      span.setAttribute('error.type', failure);
      span.setStatus({ code: STATUS_ERROR });
    }
    span.end(end);
  }

  function record(event: LivenessServerEvent): void {
    switch (event.type) {
      case 'session.created':
        created?.add(1);
        return;
      case 'session.verified':
      case 'session.expired':
      case 'session.cancelled':
        outcomes?.add(1, { 'liveness.outcome': event.type.slice('session.'.length) });
        return;
      case 'session.failed':
        outcomes?.add(1, { 'liveness.outcome': 'failed', 'liveness.failure.reason': event.reason ?? 'unknown' });
        return;
      case 'link.sent':
      case 'link.send_failed':
        // The channel and the outcome: never to whom, never the link (the events carry neither).
        sends?.add(1, {
          'liveness.link.channel': event.channel ?? 'unknown',
          'liveness.link.outcome': event.type === 'link.sent' ? 'sent' : 'failed',
          ...(event.code === undefined ? {} : { 'error.type': event.code }),
        });
        return;
      case 'result.retry':
        retries?.add(1, { 'liveness.result.check': event.check ?? 'callback', 'liveness.retry.cause': event.code ?? 'upstream' });
        return;
      case 'upstream.response': {
        const action = event.action ?? 'result';
        const failure = event.code;
        const attributes: TelemetryAttributes = {
          'liveness.upstream.action': action,
          'liveness.upstream.status_class': event.upstreamStatus === undefined ? 'none' : `${Math.floor(event.upstreamStatus / 100)}xx`,
        };
        if (failure !== undefined && NO_ANSWER.has(failure)) attributes['error.type'] = failure;
        if (upstreamDuration) quietly(() => upstreamDuration.record((event.durationMs ?? 0) / 1000, attributes));
        upstreamSpan(event, action, failure);
        return;
      }
      default:
    }
  }

  return {
    emitter(next) {
      return (event) => {
        try {
          record(event);
        } catch {
          // Telemetry must not change the answer a person gets.
        }
        next(event);
      };
    },

    route(route, request, url, run) {
      if (!tracer) return run();
      const method = request.method.toUpperCase();
      const attributes: TelemetryAttributes = {
        'http.request.method': method,
        'http.route': route,
        // The configured public address when there is one: a request's Host is whatever the client sent.
        ...(publicAddress ?? addressed(url.origin)),
      };
      return activeSpan(
        tracer,
        `${method} ${route}`,
        { kind: SPAN_KIND_SERVER, attributes },
        async (span) => {
          try {
            const response = await run();
            quietly(() => {
              span.setAttribute('http.response.status_code', response.status);
              if (response.status >= 500) {
                span.setAttribute('error.type', String(response.status));
                span.setStatus({ code: STATUS_ERROR });
              }
            });
            return response;
          } catch (error) {
            // The handler turns it into a 500; only the exception's class is named.
            quietly(() => {
              span.setAttribute('error.type', errorType(error));
              span.setStatus({ code: STATUS_ERROR });
            });
            throw error;
          } finally {
            quietly(() => span.end());
          }
        },
        run,
      );
    },

    onVerified(hook) {
      if (!hook || !tracer) return hook;
      return (result, context) =>
        activeSpan(
          tracer,
          'liveness onVerified',
          { kind: SPAN_KIND_INTERNAL, attributes: { 'liveness.hook': 'onVerified' } },
          async (span) => {
            let ended = false;
            const finish = (error?: string) => {
              if (ended) return;
              ended = true;
              quietly(() => {
                if (error !== undefined) {
                  span.setAttribute('error.type', error);
                  span.setStatus({ code: STATUS_ERROR });
                }
                span.end();
              });
            };
            // Past `onVerifiedTimeoutMs` the handler stops waiting: so does the span.
            const timedOut = () => finish('timeout');
            context.signal.addEventListener('abort', timedOut, { once: true });
            try {
              await hook(result, context);
              finish();
            } catch (error) {
              finish(errorType(error));
              throw error;
            } finally {
              context.signal.removeEventListener('abort', timedOut);
            }
          },
          async () => hook(result, context),
        );
    },

    watchBudget(budget) {
      if (!waits) return budget;
      const upstreamSlot = budget.upstreamSlot.bind(budget);
      const clientSlot = budget.clientSlot.bind(budget);
      const counted = async <T extends { ok: boolean }>(slot: Promise<T>, lane: BudgetLane | 'client'): Promise<T> => {
        const granted = await slot;
        if (!granted.ok) quietly(() => waits.add(1, { 'liveness.budget.lane': lane }));
        return granted;
      };
      // Every argument passes through: `createdBy` decides whose budget a result call is charged to.
      budget.upstreamSlot = (...args) => counted(upstreamSlot(...args), args[0]);
      budget.clientSlot = (...args) => counted(clientSlot(...args), 'client');
      return budget;
    },

    streams() {
      const active = meter && made(() => meter.createUpDownCounter('liveness.event_stream.active', { description: 'Event streams open now', unit: '{stream}' }));
      let open = 0;
      // The routes count with `open += 1` / `open -= 1`; each change is reported as it happens.
      return {
        get open() {
          return open;
        },
        set open(value: number) {
          const change = value - open;
          open = value;
          if (active) quietly(() => active.add(change));
        },
      };
    },
  };
}
