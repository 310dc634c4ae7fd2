import { readCappedText } from '../core/wire/readCappedText.js';
import { compactTimestamp, fakeH5Link, MOCK_DECIDE_PATH, MOCK_H5_PATH, randomText } from './fakeH5Link.js';
import { mockAssets, type MockAsset, type MockAssetInput, type MockAssetOutcome } from './mockAssets.js';
import { cspOrigin, MOCK_PAGE_HEADERS, mockH5Notice, mockH5Page, mockPageHeaders, mockPageLocale } from './mockH5Page.js';

/** A one-shot fault for the next upstream API call; see {@link MockUpstream.failNext}. */
export type MockFault =
  /** 500 with a JSON error body. */
  | 'serverError'
  /** 200 with an HTML page (a proxy's or login page instead of the API). */
  | 'html'
  /** 200 with JSON cut off mid-way. */
  | 'truncatedJson'
  /** 200 with JSON lacking the expected fields. */
  | 'missingFields'
  /** Never answers; rejects only when the request's signal aborts. */
  | 'hang'
  /** 429 `RateLimitExceeded` with `Retry-After: 2`. */
  | 'rateLimited'
  /** 503 with `Retry-After: 3`. */
  | 'unavailable'
  /** Create only: 200 whose `H5Link` is a `javascript:` URL. */
  | 'badLink'
  /** Result only: 200 `{ "GroupId": "" }`. */
  | 'emptyGroupId'
  /** 502 in Anyfast's gateway shape `{ error: { type, code, message } }`. */
  | 'gatewayError'
  /** 400 in Anyfast's relayed shape `{ code, message: "<BytePlus JSON as a string>", data: null }`, code `InternalError` inside. */
  | 'relayedError'
  /** 500 in the plain shape `{ code: 500, message: "<text>" }`. */
  | 'plainError'
  /** 404 `NotFound.BytedToken` in the relayed shape, whatever the token's state (as right after a callback). */
  | 'notFound'
  /** 400 `ValidateNotReady` ("not finished or expired, can poll") in the gateway shape. */
  | 'notReady';

/**
 * The API calls the mock answers: `create` (CreateVisualValidateSession), `result`
 * (GetVisualValidateResult), and the asset calls `createAsset`, `listAssets`, `getAsset`.
 */
export type MockAction = 'create' | 'result' | 'createAsset' | 'listAssets' | 'getAsset';

/** At most `requests` calls in any `perMs`; beyond it 429 `RateLimitExceeded`. */
export interface MockRateLimit {
  requests: number;
  perMs: number;
}

/**
 * How the mock answers every API call made with one key (see {@link MockUpstreamOptions.keyFaults}), so a
 * client (your server, `npx react-liveness-session doctor`) can meet each known misconfiguration without
 * a real account:
 * - `invalidKey`: 401 `Invalid token`, as for any key the mock does not know;
 * - `wrongGroup`: 403 `… GroupType must be one of [AIGC]`, Anyfast's answer to a key outside the
 *   Byteplus-Direct group (as `wrongGroupKeys`);
 * - `missingCallbackUrl`: creates answer 400 `[***.CallbackURL] The required parameter CallbackURL is
 *   missing.`, Anyfast's answer when the body it received had none (a proxy that drops bodies);
 * - `resultDenied`: creates work; result calls answer 403 `AccessDenied` (a key that may not read results);
 * - any {@link MockFault} (`rateLimited`, `hang` for a timeout, `serverError`, `unavailable`…): on every
 *   call with that key, not just the next one.
 */
export type MockKeyFault = MockFault | 'invalidKey' | 'wrongGroup' | 'missingCallbackUrl' | 'resultDenied';

/** Options of {@link createMockUpstream}. */
export interface MockUpstreamOptions {
  /** The API key the mock accepts as `Authorization: Bearer …`. @default 'test-key-not-secret' */
  apiKey?: string;
  /** Keys that exist but belong to the wrong group: answered 403 with `GroupType must be one of [AIGC]`. @default [] */
  wrongGroupKeys?: readonly string[];
  /**
   * More keys, each answered with its own fault on every call: `{ 'sk-wrong-group': 'wrongGroup', 'sk-slow': 'hang' }`.
   * See {@link MockKeyFault}. @default {}
   */
  keyFaults?: Readonly<Record<string, MockKeyFault>>;
  /** Origin (and optional path) for the simulated H5 links. @default the origin of each create request */
  publicUrl?: string;
  /** How long a created session can be passed or failed. @default 120000 */
  ttlMs?: number;
  /** Return `H5Link` with literal `\u0026` instead of `&`, like some gateways do. @default false */
  escapeAmpersands?: boolean;
  /** Answer in the BytePlus `{ ResponseMetadata, Result }` envelope instead of Anyfast's flat JSON. @default false */
  envelope?: boolean;
  /** Delay before every API answer (abortable through the request's signal). @default 0 */
  latencyMs?: number;
  /** Share of API calls answered 500 at random (0–1). @default 0 */
  errorRate?: number;
  /** Random source for `errorRate`, so tests can make it deterministic. @default Math.random */
  random?: () => number;
  /**
   * Calls beyond it get 429 `RateLimitExceeded`: one limit for each action alike, or per action
   * (`{ createAsset: { requests: 300, perMs: 60_000 }, listAssets: { requests: 10, perMs: 1000 } }`, the
   * upstream's documented asset rates). @default undefined (no limit)
   */
  rateLimit?: MockRateLimit | Partial<Record<MockAction, MockRateLimit>>;
  /**
   * How long a created asset stays `Processing` before it turns `Active` (or `Failed`), as the upstream
   * checks the face asynchronously. @default 1500
   */
  assetActivationMs?: number;
  /**
   * Decides each asset's fate. By default an asset whose bytes (or URL) contain
   * `MOCK_FACE_MISMATCH_MARKER` fails with `FaceMismatch`, one containing `MOCK_INVALID_MEDIA_MARKER`
   * (or one outside the LivenessFace limits, or not the `AssetType` it claims) fails with
   * `InvalidParameter.Media`, and the rest turn `Active`. Return `undefined` for that default.
   */
  assetOutcome?: (asset: MockAssetInput) => MockAssetOutcome | undefined;
  /** `resultCode` sent to the callback when "Fail" is pressed. @default '10001' */
  failResultCode?: string;
  /**
   * After "Pass", result calls answer `ValidateNotReady` for this long before the GroupId, like an
   * upstream whose result lags the callback. @default 0
   */
  notReadyMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  clock?: () => number;
}

/**
 * A button of the simulated H5 page: `pass` (`resultCode` 10000), `fail` (`failResultCode`), or a failure
 * with a reason: `camera` (40003, a device problem: camera refused or missing) and `liveness` (41001, the
 * face check did not pass), codes from the ranges Volcengine documents for the same page family.
 */
export type MockOutcome = 'pass' | 'fail' | 'camera' | 'liveness';

const MOCK_OUTCOMES: readonly MockOutcome[] = ['pass', 'fail', 'camera', 'liveness'];
const MOCK_RESULT_CODES = { camera: '40003', liveness: '41001' } as const;

/** One simulated upstream session, keyed by byted token in {@link MockUpstream.sessions}. */
export interface MockSession {
  bytedToken: string;
  callbackUrl: string;
  h5Link: string;
  createdAt: number;
  expiresAt: number;
  /** `passed` until the result is fetched once, then `consumed`. */
  state: 'created' | 'passed' | 'failed' | 'consumed';
  groupId?: string;
  /** When "Pass" was pressed. */
  passedAt?: number;
}

/** One API call the mock received. */
export interface MockCall {
  action: MockAction;
  status: number;
  at: number;
}

/** The mock: a fetch-style handler plus inspection and fault controls. */
export interface MockUpstream {
  (request: Request): Promise<Response>;
  /** `(input, init) => mock(new Request(input, init))`: pass as the handler's `fetch` option. */
  readonly fetch: typeof globalThis.fetch;
  /** API calls received per action, whatever their outcome. */
  readonly stats: Record<MockAction, number>;
  /** Every API call received, in order. */
  readonly calls: readonly MockCall[];
  /** Snapshot of the simulated sessions, keyed by byted token. */
  readonly sessions: ReadonlyMap<string, MockSession>;
  /** Snapshot of the assets created, keyed by asset id. */
  readonly assets: ReadonlyMap<string, MockAsset>;
  /**
   * A new LivenessFace group, as if a person had passed a check (without a session): its id, for tests of
   * assets. Passed sessions make theirs on their own.
   */
  createGroup(): string;
  /** Makes the next API call (of `action`, or of either) fail with `fault`. Queued; one call each. */
  failNext(fault: MockFault, action?: MockAction): void;
  /**
   * Presses a button of the page without the page; returns the callback URL the phone would be sent to,
   * or `undefined` when the session is unknown, expired or already decided.
   */
  decide(bytedToken: string, outcome: MockOutcome): string | undefined;
  /** Forgets sessions, counters, calls and queued faults. */
  reset(): void;
}

const API_PREFIX = '/volc/asset/';
const ACTIONS: Readonly<Record<string, MockAction>> = {
  CreateVisualValidateSession: 'create',
  GetVisualValidateResult: 'result',
  CreateAsset: 'createAsset',
  ListAssets: 'listAssets',
  GetAsset: 'getAsset',
};
const UPSTREAM_ACTION_NAMES: Readonly<Record<MockAction, string>> = {
  create: 'CreateVisualValidateSession',
  result: 'GetVisualValidateResult',
  createAsset: 'CreateAsset',
  listAssets: 'ListAssets',
  getAsset: 'GetAsset',
};
// A 50 MB video as base64 in JSON is about 67 MB; anything larger is not a request the API takes.
const MAX_API_BODY_BYTES = 80 * 1024 * 1024;
const MAX_FORM_BODY_BYTES = 16 * 1024;
type Json = Record<string, unknown>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function apiError(status: number, message: string, code?: string, headers: Record<string, string> = {}): Response {
  return json(status, { error: { ...(code ? { code } : {}), message } }, headers);
}

/** Anyfast relaying a BytePlus error: the BytePlus body, as a JSON string, in `message`. */
function relayedError(status: number, action: string, code: string, message: string): Response {
  const upstream = { ResponseMetadata: { RequestId: randomText(24), Action: action, Version: '2024-01-01', Service: 'ark', Error: { Code: code, Message: message } } };
  return json(status, { code: status, message: JSON.stringify(upstream), data: null });
}

const NOT_READY = { error: { type: 'upstream_error', code: 'ValidateNotReady', message: 'The validation is not finished or has expired; you can poll. (simulated)' } };

function html(status: number, body: string): Response {
  return new Response(body, { status, headers: MOCK_PAGE_HEADERS });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as fetch does: with the signal's reason, whatever the caller aborted with
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        abort();
      },
      { once: true },
    );
  });
}

/** Appends the H5 page's result parameters with `?` or `&`, keeping any fragment last. */
export function appendCallbackParams(callbackUrl: string, params: Record<string, string>): string {
  const hashIndex = callbackUrl.indexOf('#');
  const base = hashIndex === -1 ? callbackUrl : callbackUrl.slice(0, hashIndex);
  const hash = hashIndex === -1 ? '' : callbackUrl.slice(hashIndex);
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}${hash}`;
}

/**
 * A stand-in for Anyfast's LivenessFace API, as a fetch-style handler: `CreateVisualValidateSession`,
 * single-use `GetVisualValidateResult`, a simulated H5 page with "Pass"/"Fail" buttons that sends
 * the browser to the session's `CallbackURL` just like the real page, and the asset calls of a
 * verified person's group (`CreateAsset`, asynchronous; `ListAssets`; `GetAsset`, which answers
 * `NotFound.asset_id` for these groups as the real one does; see `assetOutcome` for a face mismatch).
 * For demos, Storybook and tests; every credential in its links starts with `FAKE`.
 *
 * ```ts
 * const mock = createMockUpstream();
 * const handler = createLivenessHandler({ apiKey: 'test-key-not-secret', upstreamUrl: 'http://mock.test', fetch: mock.fetch });
 * ```
 */
export function createMockUpstream(options: MockUpstreamOptions = {}): MockUpstream {
  const apiKey = options.apiKey ?? 'test-key-not-secret';
  const wrongGroupKeys = new Set(options.wrongGroupKeys ?? []);
  const keyFaults = new Map(Object.entries(options.keyFaults ?? {}));
  const ttlMs = options.ttlMs ?? 120_000;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const failResultCode = options.failResultCode ?? '10001';
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');

  const sessions = new Map<string, MockSession>();
  const stats: Record<MockAction, number> = { create: 0, result: 0, createAsset: 0, listAssets: 0, getAsset: 0 };
  const calls: MockCall[] = [];
  const faults: { fault: MockFault; action: MockAction | undefined }[] = [];
  const windows = new Map<MockAction, number[]>();
  // LivenessFace groups: those of passed sessions, and those `createGroup` made.
  const groups = new Set<string>();
  const newGroupId = () => `group-${compactTimestamp(clock())}-${randomText(5, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const assetApi = mockAssets({
    clock,
    activationMs: options.assetActivationMs ?? 1500,
    outcome: options.assetOutcome,
    hasGroup: (groupId) => groups.has(groupId),
  });

  function takeFault(action: MockAction): MockFault | undefined {
    const index = faults.findIndex((entry) => entry.action === undefined || entry.action === action);
    return index === -1 ? undefined : faults.splice(index, 1)[0]!.fault;
  }

  function limitOf(action: MockAction): MockRateLimit | undefined {
    const { rateLimit } = options;
    if (!rateLimit) return undefined;
    return 'requests' in rateLimit && typeof rateLimit.requests === 'number' ? rateLimit : (rateLimit as Partial<Record<MockAction, MockRateLimit>>)[action];
  }

  function overLimit(action: MockAction): boolean {
    const limit = limitOf(action);
    if (!limit) return false;
    const now = clock();
    const window = (windows.get(action) ?? []).filter((at) => now - at < limit.perMs);
    windows.set(action, window);
    if (window.length >= limit.requests) return true;
    window.push(now);
    return false;
  }

  function wrap(payload: Json, action: string): Json {
    if (!options.envelope) return payload;
    return {
      ResponseMetadata: { RequestId: randomText(24), Action: action, Version: '2024-01-01', Service: 'ark', Region: 'ap-southeast-1' },
      Result: payload,
    };
  }

  function decide(bytedToken: string, outcome: MockOutcome): string | undefined {
    const session = sessions.get(bytedToken);
    if (!session || session.state !== 'created' || clock() >= session.expiresAt) return undefined;
    const pass = outcome === 'pass';
    session.state = pass ? 'passed' : 'failed';
    if (pass) {
      session.groupId = newGroupId();
      groups.add(session.groupId);
      session.passedAt = clock();
    }
    return appendCallbackParams(session.callbackUrl, {
      bytedToken,
      resultCode: pass ? '10000' : outcome === 'fail' ? failResultCode : MOCK_RESULT_CODES[outcome],
      algorithmBaseRespCode: '0',
      reqMeasureInfoValue: pass ? '1' : '0',
      verify_type: 'real_time',
    });
  }

  async function faultResponse(fault: MockFault, action: MockAction, signal: AbortSignal): Promise<Response | undefined> {
    switch (fault) {
      case 'serverError':
        return apiError(500, 'Internal server error (simulated)', 'InternalError');
      case 'html':
        return new Response('<!doctype html><html><body><h1>Sign in</h1></body></html>', {
          status: 200,
          headers: { 'Content-Type': 'text/html' },
        });
      case 'truncatedJson':
        return new Response('{"BytedToken":"2026FAKE","H5Link":"https://h5.exa', {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      case 'missingFields':
        return json(200, action === 'create' ? { BytedToken: '2026FAKE' } : {});
      case 'hang':
        await delay(2 ** 31 - 1, signal);
        return undefined;
      case 'rateLimited':
        return apiError(429, 'Too many requests (simulated)', 'RateLimitExceeded', { 'Retry-After': '2' });
      case 'unavailable':
        return apiError(503, 'Service unavailable (simulated)', 'ServiceUnavailable', { 'Retry-After': '3' });
      case 'badLink':
        return action === 'create' ? json(200, { BytedToken: `2026FAKE${randomText(12)}`, H5Link: 'javascript:alert(1)', CallbackURL: 'https://x.test' }) : undefined;
      case 'emptyGroupId':
        return action === 'result' ? json(200, wrap({ GroupId: '' }, 'GetVisualValidateResult')) : undefined;
      case 'gatewayError':
        return json(502, { error: { type: 'upstream_error', code: 'bad_gateway', message: 'Upstream request failed (simulated)' } });
      case 'relayedError':
        return relayedError(400, UPSTREAM_ACTION_NAMES[action], 'InternalError', 'Internal error (simulated)');
      case 'plainError':
        return json(500, { code: 500, message: 'internal error (simulated)' });
      case 'notFound':
        return relayedError(404, 'GetVisualValidateResult', 'NotFound.BytedToken', 'The specified BytedToken is not found (simulated)');
      case 'notReady':
        return json(400, NOT_READY);
    }
  }

  async function create(request: Request, body: Json): Promise<Response> {
    const callbackUrl = body.CallbackURL;
    if (typeof callbackUrl !== 'string' || callbackUrl === '') {
      return apiError(400, 'Invalid request: CallbackURL is required', 'MissingParameter.CallbackURL');
    }
    try {
      new URL(callbackUrl);
    } catch {
      return apiError(400, 'Invalid request: CallbackURL is not a valid URL', 'InvalidParameter.CallbackURL');
    }
    const now = clock();
    const bytedToken = `${compactTimestamp(now)}${randomText(18, '0123456789ABCDEF')}`;
    const origin = publicUrl ?? new URL(request.url).origin;
    const h5Link = fakeH5Link(origin, bytedToken);
    sessions.set(bytedToken, { bytedToken, callbackUrl, h5Link, createdAt: now, expiresAt: now + ttlMs, state: 'created' });
    const wireLink = options.escapeAmpersands ? h5Link.replace(/&/g, '\\u0026') : h5Link;
    return json(200, wrap({ BytedToken: bytedToken, CallbackURL: callbackUrl, H5Link: wireLink }, 'CreateVisualValidateSession'));
  }

  function result(body: Json): Response {
    const token = body.BytedToken;
    if (typeof token !== 'string' || token === '') {
      return apiError(400, 'Invalid request: BytedToken is required', 'MissingParameter.BytedToken');
    }
    const session = sessions.get(token);
    // Single use: a successful query spends the token, exactly like the real service is reported to.
    if (!session || session.state !== 'passed' || !session.groupId) {
      return apiError(404, 'The specified BytedToken is not found or has been used.', 'NotFound.BytedToken');
    }
    if (options.notReadyMs && clock() - (session.passedAt ?? 0) < options.notReadyMs) return json(400, NOT_READY);
    session.state = 'consumed';
    return json(200, wrap({ GroupId: session.groupId }, 'GetVisualValidateResult'));
  }

  async function api(request: Request, action: MockAction): Promise<Response> {
    stats[action] += 1;
    if (options.latencyMs) await delay(options.latencyMs, request.signal);
    const respond = (response: Response) => {
      calls.push({ action, status: response.status, at: clock() });
      return response;
    };
    if (request.method !== 'POST') return respond(apiError(405, 'Method not allowed'));
    const auth = request.headers.get('Authorization') ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const keyFault = keyFaults.get(key);
    if (wrongGroupKeys.has(key) || keyFault === 'wrongGroup') {
      return respond(apiError(403, 'This token cannot be used for this API: GroupType must be one of [AIGC]'));
    }
    if (keyFault === 'invalidKey' || (key !== apiKey && keyFault === undefined)) return respond(apiError(401, 'Invalid token'));
    if (overLimit(action)) {
      return respond(apiError(429, 'Rate limit exceeded', 'RateLimitExceeded', { 'Retry-After': '1' }));
    }
    if (keyFault === 'missingCallbackUrl' && action === 'create') {
      return respond(apiError(400, '[***.CallbackURL] The required parameter CallbackURL is missing.', 'MissingParameter.CallbackURL'));
    }
    if (keyFault === 'resultDenied' && action === 'result') {
      return respond(relayedError(403, 'GetVisualValidateResult', 'AccessDenied', 'The key is not allowed to call this action (simulated)'));
    }
    const fault = keyFault && keyFault !== 'missingCallbackUrl' && keyFault !== 'resultDenied' ? keyFault : takeFault(action);
    if (fault) {
      const faulty = await faultResponse(fault, action, request.signal);
      if (faulty) return respond(faulty);
    }
    if (options.errorRate && random() < options.errorRate) {
      return respond(apiError(500, 'Internal server error (simulated)', 'InternalError'));
    }
    let body: unknown;
    try {
      const text = await readCappedText(request.body, MAX_API_BODY_BYTES);
      if (text === null) return respond(apiError(413, 'Request body too large'));
      body = JSON.parse(text);
    } catch {
      return respond(apiError(400, 'Invalid request: body is not JSON'));
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return respond(apiError(400, 'Invalid request: body must be a JSON object'));
    }
    if (action === 'create') return respond(await create(request, body as Json));
    if (action === 'result') return respond(result(body as Json));
    const answer = action === 'createAsset' ? assetApi.create(body as Json) : action === 'listAssets' ? assetApi.list(body as Json) : assetApi.get();
    return respond(
      'body' in answer ? json(answer.status, wrap(answer.body, UPSTREAM_ACTION_NAMES[action])) : relayedError(answer.status, answer.relayed.action, answer.relayed.code, answer.relayed.message),
    );
  }

  function page(url: URL): Response {
    const locale = mockPageLocale(url.searchParams.get('lng'));
    const token = url.searchParams.get('bytedToken') ?? '';
    const session = sessions.get(token);
    if (!session) return html(404, mockH5Notice(locale, 'unknown'));
    if (session.state !== 'created') return html(409, mockH5Notice(locale, 'used'));
    if (clock() >= session.expiresAt) return html(410, mockH5Notice(locale, 'expired'));
    // Relative action: the mock may live under a path prefix (publicUrl `https://host/mock-upstream`).
    const body = mockH5Page(locale, token, MOCK_DECIDE_PATH.split('/').at(-1)!, url.searchParams.get('lng') ?? '');
    // The form's redirect goes to the session's callback, on the app's origin when the mock has its own.
    const callbackOrigin = cspOrigin(session.callbackUrl);
    return new Response(body, { status: 200, headers: mockPageHeaders(callbackOrigin ? [callbackOrigin] : []) });
  }

  async function decideRoute(request: Request, url: URL): Promise<Response> {
    const fields = request.method === 'POST' ? new URLSearchParams((await readCappedText(request.body, MAX_FORM_BODY_BYTES)) ?? '') : url.searchParams;
    const token = fields.get('bytedToken') ?? '';
    const outcome = fields.get('outcome');
    const locale = mockPageLocale(fields.get('lng'));
    if (!MOCK_OUTCOMES.includes(outcome as MockOutcome)) return html(400, mockH5Notice(locale, 'unknown'));
    const session = sessions.get(token);
    if (!session) return html(404, mockH5Notice(locale, 'unknown'));
    const location = decide(token, outcome as MockOutcome);
    if (!location) return html(session.state === 'created' ? 410 : 409, mockH5Notice(locale, session.state === 'created' ? 'expired' : 'used'));
    return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
  }

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = publicUrl && url.pathname.startsWith(new URL(publicUrl).pathname + '/') ? url.pathname.slice(new URL(publicUrl).pathname.length) : url.pathname;
    const action = path.startsWith(API_PREFIX) ? ACTIONS[path.slice(API_PREFIX.length)] : undefined;
    if (action) return api(request, action);
    if (path === MOCK_H5_PATH && request.method === 'GET') return page(url);
    if (path === MOCK_DECIDE_PATH && (request.method === 'POST' || request.method === 'GET')) return decideRoute(request, url);
    return apiError(404, 'Not found');
  };

  const mock = Object.assign(handler, {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => handler(new Request(input, init)),
    stats,
    calls,
    failNext(fault: MockFault, action?: MockAction) {
      faults.push({ fault, action });
    },
    decide,
    createGroup() {
      const groupId = newGroupId();
      groups.add(groupId);
      return groupId;
    },
    reset() {
      sessions.clear();
      groups.clear();
      assetApi.assets.clear();
      for (const action of Object.keys(stats) as MockAction[]) stats[action] = 0;
      calls.length = 0;
      faults.length = 0;
      windows.clear();
    },
  });
  // A getter (Object.assign would copy one value): each read is a fresh snapshot tests cannot corrupt.
  Object.defineProperty(mock, 'sessions', {
    enumerable: true,
    get: () => new Map([...sessions].map(([token, session]) => [token, { ...session }])),
  });
  Object.defineProperty(mock, 'assets', {
    enumerable: true,
    get: () => new Map([...assetApi.assets].map(([id, asset]) => [id, { ...asset }])),
  });
  return mock as typeof mock & Pick<MockUpstream, 'sessions' | 'assets'>;
}
