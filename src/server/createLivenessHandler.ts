import { callbackRoute } from './routes/callbackRoute.js';
import { cancelSessionRoute } from './routes/cancelSessionRoute.js';
import { createSessionRoute } from './routes/createSessionRoute.js';
import { eventEmitter } from './events.js';
import type { HandlerContext } from './handlerContext.js';
import { resolveHandlerOptions, type LivenessHandlerOptions } from './handlerOptions.js';
import { idempotencyRecords } from './store/idempotencyRecords.js';
import { guardedStore } from './store/guardedStore.js';
import { leaseClockStore } from './store/leaseClock.js';
import { isLivenessStoreError, storeErrorCode } from './store/storeError.js';
import { storeFailureResponse } from './http/storeFailureResponse.js';
import { STORE_STUCK_MS } from './limits.js';
import { errorResponse } from './http/jsonResponse.js';
import { asResponse } from './http/lazy/jsonAnswer.js';
import { acceptLazyRequests, isLazyRequest, requestPath } from './http/lazy/lazyRequest.js';
import { linkRedirectRoute } from './routes/linkRedirectRoute.js';
import { healthRoute } from './routes/healthRoute.js';
import { advanceSession, scheduleSettings } from './result/resultStep.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';
import { sessionEventsRoute } from './routes/sessionEventsRoute.js';
import { sessionFeed } from './store/sessionFeed.js';
import { sessionStatusRoute } from './routes/sessionStatusRoute.js';
import { sendLinkRoute } from './routes/sendLinkRoute.js';
import { SessionTimers } from './result/sessionTimers.js';
import { sessionStatusBody } from './sessionView.js';
import { sameSubject } from './subject.js';
import { handlerTelemetry } from './telemetry/handlerTelemetry.js';
import { UpstreamBudget } from './upstream/upstreamBudget.js';
import { UpstreamClient } from './upstream/upstreamClient.js';
import type { SessionStatusResponse } from '../core/wire/protocol.js';

/** A fetch-style request handler serving every liveness route under `basePath`. */
export interface LivenessHandler {
  (request: Request): Promise<Response>;
  /** The normalised path prefix, e.g. `/api/liveness` (used by the Node adapter to pass other paths on). */
  readonly basePath: string;
  /**
   * The outcome of a session as your own server sees it, with the subject `authorize` bound it to. Use
   * this (not a `groupId` the browser reports) before trusting that a person is verified. `undefined`
   * for unknown or purged sessions and, with `{ subject }`, for a session that belongs to another
   * subject (or to none); `{ subject: undefined }` or `''` matches no session at all. Rejects with a
   * `LivenessStoreError` (`code` `store_unavailable` or `store_misconfigured`, and the class in
   * `storeError`) when the store cannot answer within `storeTimeoutMs`.
   */
  getSession(sessionId: string, options?: { subject?: string | undefined }): Promise<ServerSessionView | undefined>;
}

/** A session as `getSession` reports it to the app's server: the status answer, plus its subject. */
export interface ServerSessionView extends SessionStatusResponse {
  /** The subject `authorize` returned when the session was created. Never sent to a browser. */
  subject?: string;
}

function methodNotAllowed(allow: string): Response {
  return errorResponse(405, ServerErrorCode.methodNotAllowed, `Use ${allow} on this route.`, { Allow: allow });
}

/**
 * Creates the server half: the routes the browser and the phone talk to, holding the API key and
 * calling the upstream. Runs anywhere `Request`/`Response`/Web Crypto exist (Node ≥ 20, Deno, Bun,
 * edge runtimes); use `toNodeHandler` for `http.createServer` and Express.
 *
 * Routes, under `basePath`: `POST /sessions`, `GET|HEAD /sessions/:id`, `DELETE /sessions/:id` (cancel),
 * `GET|HEAD /sessions/:id/events` (Server-Sent Events), `POST /sessions/:id/send` (with `sendLink`), `GET|HEAD /callback`, `GET|HEAD /l/:key`
 * (matched case-insensitively), `GET|HEAD /health` (for load balancers), and with the `assets` option
 * `POST /assets`, `GET|HEAD /assets/:id`, `GET|HEAD /assets/:id/events`. Throws at creation when
 * `apiKey` is missing or an option is invalid.
 */
export function createLivenessHandler(options: LivenessHandlerOptions): LivenessHandler {
  const resolved = resolveHandlerOptions(options);
  const emit = eventEmitter(resolved.onEvent);
  // Every store call under a deadline, its failures classified (routes answer 503 or 500 from the
  // class) and reported; innermost, so that the lease clock's and the feed's own calls are bounded too.
  const guarded = guardedStore(resolved.store, {
    timeoutMs: resolved.storeTimeoutMs,
    stuckMs: STORE_STUCK_MS,
    onError: (storeError) => emit({ type: 'store.error', code: storeErrorCode(storeError), storeError }),
  });
  // Every write goes through the feed's store, so event streams hear of each change, whoever makes it.
  const feed = sessionFeed(guarded);
  // Leases on the store's clock when it tells one, so instances whose clocks differ agree on them.
  resolved.store = leaseClockStore(feed.store, resolved.clock);
  // Without a tracer or a meter this is undefined, and nothing below is wrapped.
  const telemetry = handlerTelemetry(resolved.telemetry, resolved);
  if (telemetry) resolved.onVerified = telemetry.onVerified(resolved.onVerified);
  const budget = new UpstreamBudget(resolved.store, resolved.upstreamRateLimit, resolved.clientRateLimit, resolved.clock);
  const context: HandlerContext = {
    options: resolved,
    upstream: new UpstreamClient({
      apiKey: resolved.apiKey,
      upstreamUrl: resolved.upstreamUrl,
      fetch: resolved.fetch,
      timeoutMs: resolved.upstreamTimeoutMs,
      clock: resolved.clock,
    }),
    budget: telemetry ? telemetry.watchBudget(budget) : budget,
    records: idempotencyRecords(resolved.store, resolved.clock),
    emit: telemetry ? telemetry.emitter(emit) : emit,
    timers: new SessionTimers(resolved.backgroundTimers, resolved.clock, (id) => {
      // A timer's run has nobody waiting on it: a failing store must not become an unhandled rejection
      // (`advanceSession` has the run tried again, with back-off).
      advanceSession(context, id).catch(() => undefined);
    }),
    steps: new Map(),
    owed: new Map(),
    creates: new Map(),
    feed,
    streams: telemetry ? telemetry.streams() : { open: 0 },
    assets: undefined,
  };
  // The asset routes and their media parsers: loaded on the first asset request, so a handler without
  // the `assets` option (or one that never serves an asset) never loads them.
  let assetRoutes: Promise<typeof import('./assets/assetRoutes.js')> | undefined;
  const { basePath } = resolved;
  const shortLinkPrefix = `${basePath}/l/`.toLowerCase();

  async function route(request: Request): Promise<Response> {
    const path = requestPath(request);
    // The routes with spans of their own (when there is a tracer): a verification's create and callback.
    const traced = (name: string, run: () => Promise<Response>) => (telemetry ? telemetry.route(`${basePath}${name}`, request, new URL(request.url), run) : run());
    const method = request.method.toUpperCase();
    const read = method === 'GET' || method === 'HEAD';
    const head = method === 'HEAD';
    // The short link may come all upper case (`uppercaseShortLink`): its route alone ignores case.
    if (path.toLowerCase().startsWith(shortLinkPrefix)) {
      const key = path.slice(shortLinkPrefix.length);
      if (key !== '' && !key.includes('/')) return read ? linkRedirectRoute(context, request, key, head) : methodNotAllowed('GET, HEAD');
    }
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
    }
    const rest = path.slice(basePath.length);
    if (rest === '/sessions') {
      return method === 'POST' ? traced('/sessions', () => createSessionRoute(context, request)) : methodNotAllowed('POST');
    }
    if (rest === '/health') return read ? healthRoute(context, head) : methodNotAllowed('GET, HEAD');
    if (rest === '/callback') {
      return read ? traced('/callback', () => callbackRoute(context, request, head)) : methodNotAllowed('GET, HEAD');
    }
    const match = /^\/sessions\/([^/]+)$/.exec(rest);
    if (match) {
      if (method === 'DELETE') return cancelSessionRoute(context, request, match[1]!);
      return read ? sessionStatusRoute(context, request, match[1]!, head) : methodNotAllowed('GET, HEAD, DELETE');
    }
    const events = /^\/sessions\/([^/]+)\/events$/.exec(rest);
    if (events) return read ? sessionEventsRoute(context, request, events[1]!, head) : methodNotAllowed('GET, HEAD');
    const send = /^\/sessions\/([^/]+)\/send$/.exec(rest);
    if (send) return method === 'POST' ? traced('/sessions/:id/send', () => sendLinkRoute(context, request, send[1]!)) : methodNotAllowed('POST');
    if (resolved.assets && (rest === '/assets' || rest.startsWith('/assets/'))) {
      return (await (assetRoutes ??= import('./assets/assetRoutes.js'))).assetRoute(context, request, rest, method);
    }
    return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  }

  async function answer(request: Request): Promise<Response> {
    try {
      return await route(request);
    } catch (error) {
      if (isLivenessStoreError(error)) {
        const response = storeFailureResponse(error);
        context.emit({ type: 'request.rejected', httpStatus: response.status, code: error.code });
        return response;
      }
      // A bug. The error may hold session data, so it is neither echoed nor logged.
      context.emit({ type: 'request.rejected', httpStatus: 500, code: ServerErrorCode.internal });
      return errorResponse(500, ServerErrorCode.internal, 'Something went wrong on the server. Try again.');
    }
  }

  // JSON answers go back as they are to the Node adapter alone (it writes them without a Response, see
  // http/lazy/jsonAnswer.ts); every other caller gets a real Response.
  const handler = async (request: Request): Promise<Response> => {
    const response = await answer(request);
    return isLazyRequest(request) ? response : asResponse(response);
  };
  // The Node adapter may hand this handler lazy requests (http/lazy/lazyRequest.ts): its hooks get full ones.
  acceptLazyRequests(handler);

  return Object.assign(handler, {
    basePath,
    async getSession(sessionId: string, options: { subject?: string | undefined } = {}) {
      const session = isSessionId(sessionId) ? await resolved.store.get(sessionId) : undefined;
      if (!session) return undefined;
      // `{ subject: undefined }` is a question too (a signed-out user's id): it matches nothing.
      if ('subject' in options && !sameSubject(options.subject, session.subject)) return undefined;
      const view: ServerSessionView = sessionStatusBody(session, resolved.clock(), scheduleSettings(context));
      if (session.subject !== undefined) view.subject = session.subject;
      return view;
    },
  });
}
