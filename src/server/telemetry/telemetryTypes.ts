// The few parts of the OpenTelemetry API the handler uses, typed by their shape: the package never
// imports `@opentelemetry/api` (an optional peer), so it loads on edge runtimes and in apps without it,
// and bundlers have no optional import to resolve. A `Tracer` and a `Meter` of `@opentelemetry/api` 1.x
// satisfy these types as they are (checked in test/types).

/** A value of a span or metric attribute. */
export type TelemetryAttributeValue = string | number | boolean;

/** Attributes of a span or a measurement. */
export type TelemetryAttributes = Record<string, TelemetryAttributeValue>;

/** What the handler does with a span: attributes, a status, its end. */
export interface TelemetrySpan {
  setAttribute(key: string, value: TelemetryAttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  /** Epoch milliseconds. */
  end(endTime?: number): void;
}

/** Options of a new span (`SpanOptions` of `@opentelemetry/api`). */
export interface TelemetrySpanOptions {
  /** `SpanKind`: 0 internal, 1 server, 2 client. */
  kind?: number;
  attributes?: TelemetryAttributes;
  /** Epoch milliseconds. */
  startTime?: number;
}

/** A `Tracer` of `@opentelemetry/api`: `trace.getTracer('react-liveness-session')`. */
export interface TelemetryTracer {
  startSpan(name: string, options?: TelemetrySpanOptions): TelemetrySpan;
  startActiveSpan<F extends (span: TelemetrySpan) => unknown>(name: string, options: TelemetrySpanOptions, fn: F): ReturnType<F>;
}

/** Options of a new instrument (`MetricOptions` of `@opentelemetry/api`). */
export interface TelemetryInstrumentOptions {
  description?: string;
  unit?: string;
  /** Bucket boundaries of a histogram (honoured by SDKs from `@opentelemetry/api` 1.7 on). */
  advice?: { explicitBucketBoundaries?: number[] };
}

/** A counter or an up-down counter. */
export interface TelemetryCounter {
  add(value: number, attributes?: TelemetryAttributes): void;
}

export interface TelemetryHistogram {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** A `Meter` of `@opentelemetry/api`: `metrics.getMeter('react-liveness-session')`. */
export interface TelemetryMeter {
  createCounter(name: string, options?: TelemetryInstrumentOptions): TelemetryCounter;
  createUpDownCounter(name: string, options?: TelemetryInstrumentOptions): TelemetryCounter;
  createHistogram(name: string, options?: TelemetryInstrumentOptions): TelemetryHistogram;
}

/**
 * Where the handler reports spans and metrics: a tracer, a meter, or both, from the OpenTelemetry API
 * your app already set up. Spans: the create and callback routes, every upstream call (the create's and
 * each result call), and `onVerified`. Metrics: `liveness.session.created`, `liveness.session.outcome`,
 * `liveness.upstream.request.duration`, `liveness.result.retries`, `liveness.event_stream.active`,
 * `liveness.budget.waits`. No attribute ever carries the API key, an H5 link, a byted token, a
 * GroupId, a subject or a session id.
 */
export interface LivenessTelemetry {
  /** `trace.getTracer('react-liveness-session')`. @default undefined (no spans) */
  tracer?: TelemetryTracer;
  /**
   * `metrics.getMeter('react-liveness-session')`. Get it after your SDK is started: OpenTelemetry's
   * metrics API hands out no-op meters before that. @default undefined (no metrics)
   */
  meter?: TelemetryMeter;
}
