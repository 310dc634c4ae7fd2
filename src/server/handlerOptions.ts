import type { LivenessServerEvent } from './events.js';
import { memoryStore } from './memoryStore.js';
import type { UpstreamRateLimit } from './rateLimiter.js';
import type { SessionStore } from './sessionStore.js';

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
   * `CallbackURL` (`{publicUrl}{basePath}/callback?sid=…`), for `qrUrl`, and as the default allowed
   * origin for `returnUrl`. Set it when running behind a proxy, where the request URL is an internal one.
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
   * How long after expiry a session stays readable (status `expired`/`verified`/`failed`, `getSession`)
   * before the store forgets it.
   * @default 300000
   */
  retainMs?: number;
  /**
   * Origins (`https://app.example.com`) or URL prefixes (`https://app.example.com/verify/`) a `returnUrl`
   * may point to.
   * @default [] (only URLs on the origin of `publicUrl`, or of the request when `publicUrl` is unset)
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
  /** `fetch` used for upstream calls, e.g. to route through a proxy or into a mock. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Deadline of each upstream call, body included; past it the answer is a 504. @default 10000 */
  upstreamTimeoutMs?: number;
  /**
   * This handler's upstream budget (BytePlus allows about 3/s per account and action). Session creation
   * beyond it is answered 429 with `Retry-After` at once; result calls wait ahead of creations for up to
   * `upstreamTimeoutMs`. `false` turns the limit off (e.g. when a gateway in front already limits).
   * @default { requests: 3, perMs: 1000 }
   */
  upstreamRateLimit?: UpstreamRateLimit | false;
  /**
   * Gate for the browser-facing routes (create and status). Return `false` for a 403; throw for a 401.
   * The phone routes (callback, link redirect) are not gated: phones carry no app session, and the
   * unguessable session id is their capability.
   * @default undefined (everyone may create sessions)
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /**
   * Called for logging and metrics. Receives only session ids, event types, statuses, codes, durations
   * and HTTP statuses, never a secret. Errors it throws are swallowed.
   */
  onEvent?: (event: LivenessServerEvent) => void;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

export interface ResolvedHandlerOptions {
  apiKey: string;
  upstreamUrl: string;
  publicUrl: string | undefined;
  basePath: string;
  sessionTtlMs: number;
  retainMs: number;
  allowedReturnUrls: readonly string[];
  allowedHosts: readonly string[] | undefined;
  /** Normalised extra origins, or `false` when the Origin check is off. */
  allowedOrigins: readonly string[] | false;
  store: SessionStore;
  fetch: typeof globalThis.fetch;
  upstreamTimeoutMs: number;
  upstreamRateLimit: UpstreamRateLimit | false;
  authorize: ((request: Request) => boolean | Promise<boolean>) | undefined;
  onEvent: ((event: LivenessServerEvent) => void) | undefined;
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
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') fail('no `fetch` available; pass one in options.fetch.');
  const rateLimit = options.upstreamRateLimit ?? { requests: 3, perMs: 1000 };
  return {
    apiKey: options.apiKey.trim(),
    upstreamUrl: baseUrl(options.upstreamUrl ?? 'https://www.anyfast.ai', 'upstreamUrl') as string,
    publicUrl: baseUrl(options.publicUrl, 'publicUrl'),
    basePath,
    sessionTtlMs: positive(options.sessionTtlMs, 120_000, 'sessionTtlMs'),
    retainMs: positive(options.retainMs, 300_000, 'retainMs'),
    allowedReturnUrls: [...(options.allowedReturnUrls ?? [])],
    allowedHosts: options.allowedHosts ? [...options.allowedHosts] : undefined,
    allowedOrigins: origins(options.allowedOrigins),
    store: options.store ?? memoryStore({ clock }),
    // Bound so an app passing a method reference (`client.fetch`) keeps working.
    fetch: options.fetch ? (input, init) => fetchImpl(input, init) : (input, init) => globalThis.fetch(input, init),
    upstreamTimeoutMs: positive(options.upstreamTimeoutMs, 10_000, 'upstreamTimeoutMs'),
    upstreamRateLimit: rateLimit,
    authorize: options.authorize,
    onEvent: options.onEvent,
    clock,
  };
}
