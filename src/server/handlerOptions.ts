import { resolveAssetOptions, type LivenessAssetOptions, type ResolvedAssetOptions } from './assets/assetOptions.js';
import { clientAddressOf } from './http/clientAddress.js';
import { fullRequest } from './http/lazy/lazyRequest.js';
import { returnUrlRules, type ReturnUrlRule } from './http/returnUrl.js';
import type { LivenessServerEvent } from './events.js';
import { STORE_TIMEOUT_MS } from './limits.js';
import { memoryStore } from './store/memoryStore.js';
import type { SessionStore } from './store/sessionStore.js';
import type { LivenessTelemetry } from './telemetry/telemetryTypes.js';
import type { UpstreamRateLimit } from './upstream/upstreamBudget.js';
import type { FailureReason, SendLinkChannel, WireLocale } from '../core/wire/protocol.js';
import { MAX_SEND_LINK_TIMEOUT_MS } from './limits.js';

// The payloads of the outcome hooks live beside the options that name them (outcomeHooks.ts calls them).
/** What `onVerified` receives: everything the app needs to record the verification for its user. */
export interface VerifiedSession {
  sessionId: string;
  /** The LivenessFace asset group. The upstream reports it once, ever: persist it now. */
  groupId: string;
  /** The subject `authorize` returned when the session was created; absent without one. */
  subject?: string;
  /** The callback's result code (`10000`); absent when a lost callback was recovered by a check. */
  resultCode?: string;
  /** When the upstream answered with the GroupId. */
  verifiedAt: Date;
}

/** What `onFailed` receives. */
export interface FailedSession {
  sessionId: string;
  subject?: string;
  reason: FailureReason;
  resultCode?: string;
}

/** The second argument of `onVerified`. */
export interface OnVerifiedContext {
  /** Aborted when `onVerifiedTimeoutMs` passes: the call then counts as failed and is made again later. */
  signal: AbortSignal;
}

/** What `sendLink` receives: one message to deliver, and what the app needs to word it. */
export interface SendLinkMessage {
  sessionId: string;
  /** The subject `authorize` returned when the session was created; absent without one. */
  subject?: string;
  channel: SendLinkChannel;
  /**
   * Where to send it, as validated: an E.164 number (`+447700900123`) for `sms`, one plain address for
   * `email`. Personal data: keep it out of logs.
   */
  to: string;
  /**
   * The QR code's short link (`{publicUrl}{basePath}/l/…`), which works on the first phone that opens
   * it, and only while the session waits. Never the upstream H5 link, so the message carries no
   * temporary credentials. Put it in the message as it is; never log it.
   */
  link: string;
  /** The language of the session's H5 page (`en`, `zh` or `zh-Hant`): word the message in it. */
  locale: WireLocale;
  /** When the link stops working (the session's `expiresAt`). */
  expiresAt: Date;
}

/** The second argument of `sendLink`. */
export interface SendLinkContext {
  /** Aborted when `sendLinkTimeoutMs` passes: the answer is then 502 `send_failed`. Pass it to your client where it takes one. */
  signal: AbortSignal;
}

/**
 * What `authorize` may answer: `true` (allowed), `false` (403), or allowed on behalf of the app's
 * subject (its user id, say), which is stored with a session created by this request and handed back
 * only to the app's own server (`getSession`, `onVerified`, `onFailed`), never to a browser.
 */
export type AuthorizeResult = boolean | { subject: string };

/** Options of {@link createLivenessHandler}. */
export interface LivenessHandlerOptions {
  /**
   * Anyfast API key of the "Byteplus-Direct" group. Required. Lives only here: no response, header,
   * event or error message ever carries it.
   */
  apiKey: string;
  /** Base URL of the Anyfast API. @default 'https://www.anyfast.ai' */
  upstreamUrl?: string;
  /**
   * Base URL at which phones reach this server, such as `https://app.example.com`. Used for the upstream
   * `CallbackURL` (`{publicUrl}{basePath}/callback?sid=…`), for `qrUrl`, and as an allowed origin for
   * `returnUrl`. Set it in production: without it these URLs come from each request's `Host`.
   * @default the origin of each incoming request
   */
  publicUrl?: string;
  /** Path prefix of every route. @default '/api/liveness' */
  basePath?: string;
  /**
   * How long a link is treated as usable. BytePlus documents both 120 s and 30 min; the shorter is the safe default.
   * @default 120000
   */
  sessionTtlMs?: number;
  /**
   * How long a session stays readable (`getSession`, the status route) after its last possible
   * decision (the link's expiry, or the end of its result window) before the store forgets it.
   * @default 300000
   */
  retainMs?: number;
  /**
   * After a success callback, how long the result call is retried on transient failures (timeouts,
   * 5xx, 429/503, no budget slot, "not ready") before the session ends `failed` with reason
   * `unconfirmed`. At most 30 minutes, the byted token's documented life.
   * @default 600000 (10 minutes, as BytePlus's own sample polls)
   */
  resultWindowMs?: number;
  /**
   * How often a pending session whose link was opened or whose status is being polled is checked with a
   * result call, in case the phone passed but its callback was lost. It only uses spare result budget
   * (creates and callbacks go first); one more check runs when the link expires.
   * @default 15000
   */
  probeIntervalMs?: number;
  /**
   * Origins (`https://app.example.com`) or URL prefixes (`https://app.example.com/verify/`) a `returnUrl`
   * may point to, besides the origin of `publicUrl`. Never derived from a request's `Host`: without
   * `publicUrl`, only these are accepted.
   * @default [] (only URLs on the origin of `publicUrl`)
   */
  allowedReturnUrls?: readonly string[];
  /**
   * Origins (`https://app.example.com`) whose pages may create sessions, besides the page's own. A browser
   * `POST {basePath}/sessions` whose `Origin` header names any other origin (or `null`) is refused with a
   * 403 before the `authorize` hook or the upstream is reached. Requests without an `Origin` header
   * (servers, curl, tests) are allowed: only browsers send it, and a cross-site browser request always
   * carries it. `false` turns the check off.
   * @default [] (only the origin of `publicUrl` and the origin the request was addressed to)
   */
  allowedOrigins?: readonly string[] | false;
  /**
   * Hosts the upstream H5 link may point to (exact names or `*.example.com`). An answer with any other
   * host is a 502. @default undefined (any host; scheme and length are always checked)
   */
  allowedHosts?: readonly string[];
  /** Where sessions live. Use `redisStore` when several processes serve the routes. @default memoryStore() */
  store?: SessionStore;
  /**
   * Deadline of each session store call. Past it (or when the store throws a connection error) the
   * route answers 503 `store_unavailable` with `Retry-After` instead of waiting, the phone on the
   * callback gets the neutral page, and background work is tried again later; `onEvent` hears
   * `store.error` with the failure's class. A call that missed its deadline keeps further calls from
   * being sent until it comes back (at most 2 s), so a stuck store never piles up commands.
   * @default 1000
   */
  storeTimeoutMs?: number;
  /** `fetch` used for upstream calls, e.g. to route through a proxy or into a mock. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * Deadline of each upstream call, body included; past it a create answers 504 and a result call is
   * retried. Anyfast holds the connection while it relays to BytePlus (12 s and more happen), so keep it
   * well above that, and below the browser's own create timeout.
   * @default 30000
   */
  upstreamTimeoutMs?: number;
  /**
   * The upstream budget per action (BytePlus allows about 3/s per account for creates, and as many for
   * results). Kept in the store when it offers one (`redisStore`: shared by every instance, so they
   * together keep to it), per process otherwise. Creates beyond it are answered 429 with `Retry-After`
   * at once; result calls go first and are retried. `false` turns it off (e.g. a gateway in front limits).
   * @default { requests: 3, perMs: 1000 }
   */
  upstreamRateLimit?: UpstreamRateLimit | false;
  /**
   * Each client's own create budget, so that one client can never spend everyone's: beyond it, 429
   * `client_rate_limited` with `Retry-After`. Clients are told apart by `clientKey`. While it is on, the
   * result calls of the sessions a client created (after their callbacks, whoever sends them, and the
   * checks for lost callbacks) are held to one per `upstreamRateLimit` window (1 s by default) for that
   * client, so its sessions alone can never make the result budget short for others. `false` turns both off.
   * @default { requests: 10, perMs: 60000 }
   */
  clientRateLimit?: UpstreamRateLimit | false;
  /**
   * Who is asking, for `clientRateLimit` and to scope `Idempotency-Key`s: a user id (with `authorize`),
   * or an address your platform vouches for. Return `undefined` when the client cannot be told: such
   * requests get no per-client budget (never one shared bucket, which would cap the whole app at one
   * client's rate). Asked only when one of the two needs it: a create without `Idempotency-Key` while
   * `clientRateLimit` is off does not ask.
   * @default the address `toNodeHandler` recorded (`clientAddressOf(request)`): `undefined` elsewhere
   */
  clientKey?: (request: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Put the QR code's short link all in upper case (`HTTPS://APP.EXAMPLE/API/LIVENESS/L/<BASE32>`), so
   * the code uses QR alphanumeric mode and comes out smaller. The handler matches the route
   * case-insensitively, but your router must send the upper-case path to it: Express does by default;
   * Next.js and Hono need a route or rewrite for it: see
   * https://github.com/react-liveness-session/react-liveness-session/blob/main/docs/server.md#the-short-link-in-upper-case
   * @default false
   */
  uppercaseShortLink?: boolean;
  /**
   * Run due result calls on timers, so retries and the check at a link's expiry also happen while no
   * request arrives. Requests (callbacks, status polls) drive them anyway, which is what serverless
   * platforms rely on; timers are only a bonus on long-lived servers.
   * @default true
   */
  backgroundTimers?: boolean;
  /**
   * The platform's way to keep work alive after the answer is sent (`ctx.waitUntil` on Cloudflare,
   * `waitUntil` from `@vercel/functions`). A result call that outlasts the request that started it is
   * handed to it instead of being frozen mid-call.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Most event streams (`GET {basePath}/sessions/:id/events`) this handler holds open at once; one
   * handler per process, so per process. Beyond it a stream is answered 503 with `Retry-After`, and the
   * browser polls instead. An open stream costs a connection, a listener and a timer, no request rate.
   * `0` turns the route off: create answers carry no `eventsUrl`, and browsers poll.
   * @default 1000
   */
  maxEventStreams?: number;
  /**
   * Gate for the browser-facing routes (create and status). Return `false` for a 403; throw for a 401.
   * Return `{ subject }` (a non-empty string of at most 512 characters, such as your user id) to bind a
   * session created by this request to that subject: `getSession(id, { subject })` then answers only
   * for it, and `onVerified` receives it. The phone routes (callback, link redirect) are not gated:
   * phones carry no app session, and the unguessable link is their capability.
   * @default undefined (everyone may create sessions, and sessions belong to nobody)
   */
  authorize?: (request: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * The durable path for the result: called on your server with the GroupId (which the upstream
   * reports exactly once) and the session's subject, and awaited before the session turns `verified`.
   * Write it to your database here, keyed by `sessionId` (an upsert: a call that timed out may have
   * written and is made again). While it throws or times out, the session stays `pending` (the desktop
   * says the result is being confirmed), the GroupId stays in the store, and the call is retried with
   * back-off, driven by requests and timers, for up to `onVerifiedWindowMs`. Exactly one call succeeds
   * per session, across instances. Never log the GroupId.
   * @default undefined (the session turns `verified` as soon as the upstream answers)
   */
  onVerified?: (result: VerifiedSession, context: OnVerifiedContext) => void | Promise<void>;
  /**
   * Called once when a session ends `failed` (the phone reported a failed check, the upstream found no
   * verification, or the result could not be confirmed), with its `reason`. Best-effort: errors are
   * swallowed and nothing waits for it.
   * @default undefined
   */
  onFailed?: (result: FailedSession) => void | Promise<void>;
  /**
   * Sends the session's link to the person's phone through your own SMS or e-mail service (Twilio,
   * Amazon SES…), for people who cannot scan the QR code: the component then offers "Can't scan? Send
   * the link to your phone". With it, create answers carry `sendUrl` and `sendChannels`, and
   * `POST {basePath}/sessions/:id/send` takes `{ channel, to }` from the page that created the session
   * only (its `Liveness-Owner-Key`, the `Origin` check and `authorize`, as for cancelling). Before your
   * function runs, `to` is validated (400 `invalid_recipient`), and each session's link goes out at
   * most 3 times, only while no phone has opened it (409), within the client's budget (429
   * `send_rate_limited`). When it throws or outlasts `sendLinkTimeoutMs`: 502 `send_failed`, your error
   * never echoed, the session unchanged. Events `link.sent` and `link.send_failed` carry the channel,
   * never `to` or the link. See docs/server.md, "Sending the link to a phone".
   * @default undefined (nothing is sent: create answers carry no `sendUrl` and the route answers 404)
   */
  sendLink?: (message: SendLinkMessage, context: SendLinkContext) => void | Promise<void>;
  /** The channels `sendLink` offers (the component shows only these). @default ['sms', 'email'] */
  sendLinkChannels?: readonly SendLinkChannel[];
  /**
   * How long one `sendLink` call may take before it counts as failed (its signal aborts, and the page
   * hears 502 `send_failed`). At most 25000: the browser waits 30 s for the answer.
   * @default 10000
   */
  sendLinkTimeoutMs?: number;
  /** How long one `onVerified` call may take before it counts as failed (its signal aborts). @default 10000 */
  onVerifiedTimeoutMs?: number;
  /**
   * How long `onVerified` is retried while it fails, from the upstream's answer. The GroupId is kept
   * that long whatever `retainMs` says; past it the session ends `failed` with reason `unconfirmed`
   * and an event `session.failed` with code `on_verified_gave_up`.
   * @default 86400000 (24 hours)
   */
  onVerifiedWindowMs?: number;
  /**
   * Called for logging and metrics. Receives only session ids, event types, statuses, codes, durations
   * and HTTP statuses, never a secret. Errors it throws are swallowed.
   */
  onEvent?: (event: LivenessServerEvent) => void;
  /**
   * OpenTelemetry: a tracer and/or a meter from `@opentelemetry/api`, which the package never imports
   * itself (`{ tracer: trace.getTracer('react-liveness-session'), meter: metrics.getMeter('react-liveness-session') }`).
   * Spans for the create and callback routes, each upstream call and `onVerified`; metrics for sessions
   * created, outcomes by reason, upstream latency, result retries, open event streams and budget waits.
   * No attribute carries a secret, a GroupId, a subject or a session id. See docs/going-to-production.md.
   * @default undefined (nothing is measured, nothing is wrapped)
   */
  telemetry?: LivenessTelemetry;
  /**
   * After `verified`: the person's reference photos (or short videos) into their own LivenessFace group,
   * through `POST {basePath}/assets` and `GET {basePath}/assets/:id` (+ `/events`), for use in Seedance
   * 2.0 as `asset://<assetId>`. Needs `authorize` to name a subject, and `groupIdFor` to find the group
   * your `onVerified` stored for it. See docs/reference-assets.md.
   * @default undefined (the asset routes answer 404)
   */
  assets?: LivenessAssetOptions;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

export interface ResolvedHandlerOptions {
  apiKey: string;
  upstreamUrl: string;
  publicUrl: string | undefined;
  /** The origin of `publicUrl`, parsed once (every create's Origin check and return URL compare against it). */
  publicOrigin: string | undefined;
  basePath: string;
  sessionTtlMs: number;
  retainMs: number;
  allowedReturnUrls: readonly string[];
  /** Where a return URL may point: the origin of `publicUrl`, then `allowedReturnUrls`, parsed. */
  returnUrlRules: readonly ReturnUrlRule[];
  allowedHosts: readonly string[] | undefined;
  /** Normalised extra origins, or `false` when the Origin check is off. */
  allowedOrigins: readonly string[] | false;
  store: SessionStore;
  storeTimeoutMs: number;
  fetch: typeof globalThis.fetch;
  upstreamTimeoutMs: number;
  upstreamRateLimit: UpstreamRateLimit | false;
  clientRateLimit: UpstreamRateLimit | false;
  clientKey: (request: Request) => string | undefined | Promise<string | undefined>;
  resultWindowMs: number;
  probeIntervalMs: number;
  uppercaseShortLink: boolean;
  backgroundTimers: boolean;
  waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  authorize: ((request: Request) => AuthorizeResult | Promise<AuthorizeResult>) | undefined;
  onVerified: ((result: VerifiedSession, context: OnVerifiedContext) => void | Promise<void>) | undefined;
  onFailed: ((result: FailedSession) => void | Promise<void>) | undefined;
  onVerifiedTimeoutMs: number;
  onVerifiedWindowMs: number;
  sendLink: ((message: SendLinkMessage, context: SendLinkContext) => void | Promise<void>) | undefined;
  /** Empty without `sendLink`. */
  sendLinkChannels: readonly SendLinkChannel[];
  sendLinkTimeoutMs: number;
  maxEventStreams: number;
  onEvent: ((event: LivenessServerEvent) => void) | undefined;
  telemetry: LivenessTelemetry | undefined;
  assets: ResolvedAssetOptions | undefined;
  clock: () => number;
}

function fail(message: string): never {
  // Messages name the option, never its value: the value could be (or contain) the key.
  throw new Error(`createLivenessHandler: ${message}`);
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${name} must be a positive number.`);
  return value;
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a whole number, 0 or more.`);
  return value;
}

function rateLimit(value: UpstreamRateLimit | false | undefined, fallback: UpstreamRateLimit, name: string): UpstreamRateLimit | false {
  if (value === false) return false;
  if (value === undefined) return fallback;
  if (typeof value !== 'object' || value === null || !(value.requests >= 1) || !(value.perMs > 0) || !Number.isFinite(value.perMs)) {
    return fail(`${name} needs requests >= 1 and perMs > 0, or false.`);
  }
  return { requests: value.requests, perMs: value.perMs };
}

/** An app's hook gets a full `Request` even when the Node adapter handed the route a lazy one (`http/lazy/lazyRequest.ts`). */
function withFullRequest<R>(hook: ((request: Request) => R) | undefined): ((request: Request) => R) | undefined {
  return hook && ((request) => hook(fullRequest(request)));
}

function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') fail(`${name} must be a function.`);
  return value;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

function telemetryOption(value: LivenessTelemetry | undefined): LivenessTelemetry | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) fail('telemetry must be an object: { tracer?, meter? }.');
  const { tracer, meter } = value;
  if (tracer !== undefined && !hasMethods(tracer, ['startSpan', 'startActiveSpan'])) {
    fail("telemetry.tracer must be an OpenTelemetry Tracer (trace.getTracer('react-liveness-session')).");
  }
  if (meter !== undefined && !hasMethods(meter, ['createCounter', 'createUpDownCounter', 'createHistogram'])) {
    fail("telemetry.meter must be an OpenTelemetry Meter (metrics.getMeter('react-liveness-session')).");
  }
  return { ...(tracer ? { tracer } : {}), ...(meter ? { meter } : {}) };
}

function baseUrl(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${name} must be an absolute http(s) URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${name} must be an absolute http(s) URL.`);
  if (url.search || url.hash || url.username || url.password) fail(`${name} must not carry a query, fragment or credentials.`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function origins(value: readonly string[] | false | undefined): readonly string[] | false {
  if (value === false) return false;
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('allowedOrigins must be an array of origins or false.');
  return value.map((entry: unknown) => {
    let url: URL | undefined;
    try {
      url = typeof entry === 'string' ? new URL(entry) : undefined;
    } catch {
      url = undefined;
    }
    // An origin only: a path, query or credentials in an entry would suggest a prefix match that an Origin header cannot express.
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || (entry as string).replace(/\/$/, '') !== url.origin) {
      return fail('allowedOrigins entries must be origins such as "https://app.example.com" (scheme, host and port only).');
    }
    return url.origin;
  });
}

const SEND_LINK_CHANNELS: readonly SendLinkChannel[] = ['sms', 'email'];

function sendLinkChannels(value: readonly SendLinkChannel[] | undefined, enabled: boolean): readonly SendLinkChannel[] {
  // JavaScript callers may pass anything: it is judged as `unknown` before it is trusted.
  const given: unknown = value;
  if (value !== undefined && !enabled) fail('sendLinkChannels needs sendLink (the function that sends the messages).');
  if (!enabled) return [];
  if (value === undefined) return SEND_LINK_CHANNELS;
  if (!Array.isArray(given) || given.length === 0 || given.some((channel) => !SEND_LINK_CHANNELS.includes(channel as SendLinkChannel)) || new Set(given).size !== given.length) {
    fail('sendLinkChannels must list "sms", "email" or both, each once.');
  }
  return [...(given as SendLinkChannel[])];
}

/** Validates options once, at creation, so a misconfiguration fails at startup and not on a person's phone. */
export function resolveHandlerOptions(options: LivenessHandlerOptions): ResolvedHandlerOptions {
  if (!options || typeof options !== 'object') fail('options are required.');
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    fail('`apiKey` is required (the Anyfast API key, from a server-side environment variable).');
  }
  const basePath = (options.basePath ?? '/api/liveness').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(basePath)) {
    fail('basePath must start with "/" and contain only URL path characters.');
  }
  const clock = options.clock ?? Date.now;
  const publicUrl = baseUrl(options.publicUrl, 'publicUrl');
  const publicOrigin = publicUrl === undefined ? undefined : new URL(publicUrl).origin;
  const allowedReturnUrls = [...(options.allowedReturnUrls ?? [])];
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') fail('no `fetch` available; pass one in options.fetch.');
  const resultWindowMs = positive(options.resultWindowMs, 600_000, 'resultWindowMs');
  const sendLink = optionalFunction(options.sendLink, 'sendLink');
  const sendLinkTimeoutMs = positive(options.sendLinkTimeoutMs, 10_000, 'sendLinkTimeoutMs');
  if (sendLinkTimeoutMs > MAX_SEND_LINK_TIMEOUT_MS) fail(`sendLinkTimeoutMs must be at most ${MAX_SEND_LINK_TIMEOUT_MS} (the browser waits 30 s for the answer).`);
  if (resultWindowMs > 1_800_000) fail('resultWindowMs must be at most 1800000 (the byted token lives about 30 minutes).');
  return {
    apiKey: options.apiKey.trim(),
    upstreamUrl: baseUrl(options.upstreamUrl ?? 'https://www.anyfast.ai', 'upstreamUrl') as string,
    publicUrl,
    publicOrigin,
    basePath,
    sessionTtlMs: positive(options.sessionTtlMs, 120_000, 'sessionTtlMs'),
    retainMs: positive(options.retainMs, 300_000, 'retainMs'),
    allowedReturnUrls,
    returnUrlRules: returnUrlRules([...(publicOrigin === undefined ? [] : [publicOrigin]), ...allowedReturnUrls]),
    allowedHosts: options.allowedHosts ? [...options.allowedHosts] : undefined,
    allowedOrigins: origins(options.allowedOrigins),
    store: options.store ?? memoryStore({ clock }),
    storeTimeoutMs: positive(options.storeTimeoutMs, STORE_TIMEOUT_MS, 'storeTimeoutMs'),
    // Bound so an app passing a method reference (`client.fetch`) keeps working.
    fetch: options.fetch ? (input, init) => fetchImpl(input, init) : (input, init) => globalThis.fetch(input, init),
    upstreamTimeoutMs: positive(options.upstreamTimeoutMs, 30_000, 'upstreamTimeoutMs'),
    upstreamRateLimit: rateLimit(options.upstreamRateLimit, { requests: 3, perMs: 1000 }, 'upstreamRateLimit'),
    clientRateLimit: rateLimit(options.clientRateLimit, { requests: 10, perMs: 60_000 }, 'clientRateLimit'),
    clientKey: withFullRequest(optionalFunction(options.clientKey, 'clientKey')) ?? clientAddressOf,
    resultWindowMs,
    probeIntervalMs: positive(options.probeIntervalMs, 15_000, 'probeIntervalMs'),
    uppercaseShortLink: options.uppercaseShortLink ?? false,
    backgroundTimers: options.backgroundTimers ?? true,
    waitUntil: optionalFunction(options.waitUntil, 'waitUntil'),
    maxEventStreams: count(options.maxEventStreams, 1000, 'maxEventStreams'),
    authorize: withFullRequest(optionalFunction(options.authorize, 'authorize')),
    onVerified: optionalFunction(options.onVerified, 'onVerified'),
    onFailed: optionalFunction(options.onFailed, 'onFailed'),
    onVerifiedTimeoutMs: positive(options.onVerifiedTimeoutMs, 10_000, 'onVerifiedTimeoutMs'),
    onVerifiedWindowMs: positive(options.onVerifiedWindowMs, 86_400_000, 'onVerifiedWindowMs'),
    sendLink,
    sendLinkChannels: sendLinkChannels(options.sendLinkChannels, sendLink !== undefined),
    sendLinkTimeoutMs,
    onEvent: optionalFunction(options.onEvent, 'onEvent'),
    telemetry: telemetryOption(options.telemetry),
    assets: resolveAssetOptions(options.assets, fail),
    clock,
  };
}
