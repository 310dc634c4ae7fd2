import { callbackRoute } from './callbackRoute.js';
import { createSessionRoute } from './createSessionRoute.js';
import { eventEmitter } from './events.js';
import type { HandlerContext } from './handlerContext.js';
import { resolveHandlerOptions, type LivenessHandlerOptions } from './handlerOptions.js';
import { errorResponse } from './jsonResponse.js';
import { linkRedirectRoute } from './linkRedirectRoute.js';
import { RateLimiter } from './rateLimiter.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';
import { sessionStatusRoute } from './sessionStatusRoute.js';
import { sessionStatusBody } from './sessionView.js';
import { UpstreamClient } from './upstreamClient.js';
import type { SessionStatusResponse } from '../core/protocol.js';

/** A fetch-style request handler serving every liveness route under `basePath`. */
export interface LivenessHandler {
  (request: Request): Promise<Response>;
  /** The normalised path prefix, e.g. `/api/liveness` (used by the Node adapter to pass other paths on). */
  readonly basePath: string;
  /**
   * The outcome of a session as your own server sees it. Use this (not a `groupId` the browser reports)
   * before trusting that a person is verified. `undefined` for unknown or purged sessions.
   */
  getSession(sessionId: string): Promise<SessionStatusResponse | undefined>;
}

function methodNotAllowed(allow: string): Response {
  return errorResponse(405, ServerErrorCode.methodNotAllowed, `Use ${allow} on this route.`, { Allow: allow });
}

/**
 * Creates the server half: the routes the browser and the phone talk to, holding the API key and
 * calling the upstream. Runs anywhere `Request`/`Response`/Web Crypto exist (Node ≥ 20, Deno, Bun,
 * edge runtimes); use `toNodeHandler` for `http.createServer` and Express.
 *
 * Routes, under `basePath`: `POST /sessions`, `GET /sessions/:id`, `GET /callback`, `GET /l/:id`.
 * Throws at creation when `apiKey` is missing or an option is invalid.
 */
export function createLivenessHandler(options: LivenessHandlerOptions): LivenessHandler {
  const resolved = resolveHandlerOptions(options);
  const context: HandlerContext = {
    options: resolved,
    upstream: new UpstreamClient({
      apiKey: resolved.apiKey,
      upstreamUrl: resolved.upstreamUrl,
      fetch: resolved.fetch,
      timeoutMs: resolved.upstreamTimeoutMs,
      clock: resolved.clock,
    }),
    limiter: resolved.upstreamRateLimit ? new RateLimiter(resolved.upstreamRateLimit) : undefined,
    emit: eventEmitter(resolved.onEvent),
    resultChecks: new Map(),
  };
  const { basePath } = resolved;

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
    }
    const rest = path.slice(basePath.length);
    const method = request.method.toUpperCase();
    if (rest === '/sessions') {
      return method === 'POST' ? createSessionRoute(context, request) : methodNotAllowed('POST');
    }
    if (rest === '/callback') {
      return method === 'GET' ? callbackRoute(context, request) : methodNotAllowed('GET');
    }
    const match = /^\/(sessions|l)\/([^/]+)$/.exec(rest);
    if (match) {
      if (method !== 'GET') return methodNotAllowed('GET');
      const id = match[2]!;
      return match[1] === 'sessions' ? sessionStatusRoute(context, request, id) : linkRedirectRoute(context, id);
    }
    return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      return await route(request);
    } catch {
      // Typically a failing store. The error may hold session data, so it is neither echoed nor logged.
      context.emit({ type: 'request.rejected', httpStatus: 500, code: ServerErrorCode.internal });
      return errorResponse(500, ServerErrorCode.internal, 'Something went wrong on the server. Try again.');
    }
  };

  return Object.assign(handler, {
    basePath,
    async getSession(sessionId: string) {
      const session = isSessionId(sessionId) ? await resolved.store.get(sessionId) : undefined;
      return session ? sessionStatusBody(session, resolved.clock(), resolved.upstreamTimeoutMs) : undefined;
    },
  });
}
