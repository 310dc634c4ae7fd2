import { isLivenessError } from '../core/LivenessError.js';
import type { CreateSessionResponse, WireLocale } from '../core/protocol.js';
import { validateLink } from '../core/validateLink.js';
import { authorizeRequest } from './authorizeRequest.js';
import { checkOrigin } from './checkOrigin.js';
import { setLinkLocale } from './h5LinkLocale.js';
import type { HandlerContext } from './handlerContext.js';
import { errorResponse, jsonResponse, retryAfterHeader } from './jsonResponse.js';
import { MAX_RETURN_URL_LENGTH, MAX_UPSTREAM_RETRY_AFTER_MS } from './limits.js';
import { readJsonBody } from './readJsonBody.js';
import { isAllowedReturnUrl } from './returnUrl.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { newSessionId } from './sessionId.js';
import type { StoredSession } from './sessionStore.js';
import type { UpstreamFailure } from './upstreamClient.js';

const LOCALES: readonly WireLocale[] = ['zh', 'en', 'zh-Hant'];

/** The public base URL: the configured one, else the origin this request came to. */
export function publicBaseUrl(context: HandlerContext, request: Request): string {
  return context.options.publicUrl ?? new URL(request.url).origin;
}

type ParsedBody = { ok: true; locale?: WireLocale; returnUrl?: string } | { ok: false; response: Response };

function parseBody(context: HandlerContext, request: Request, value: unknown): ParsedBody {
  const invalid = (message: string) => ({ ok: false as const, response: errorResponse(400, ServerErrorCode.invalidRequest, message) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('The body must be a JSON object.');
  const { locale, returnUrl } = value as { locale?: unknown; returnUrl?: unknown };
  const parsed: { ok: true; locale?: WireLocale; returnUrl?: string } = { ok: true };
  if (locale !== undefined && locale !== null) {
    if (typeof locale !== 'string' || !LOCALES.includes(locale as WireLocale)) {
      return invalid('`locale` must be one of "zh", "en", "zh-Hant".');
    }
    parsed.locale = locale as WireLocale;
  }
  if (returnUrl !== undefined && returnUrl !== null) {
    if (typeof returnUrl !== 'string' || returnUrl.length === 0 || returnUrl.length > MAX_RETURN_URL_LENGTH) {
      return invalid(`\`returnUrl\` must be a URL of at most ${MAX_RETURN_URL_LENGTH} characters.`);
    }
    const allowed = [publicBaseUrl(context, request), ...context.options.allowedReturnUrls];
    if (!isAllowedReturnUrl(returnUrl, allowed)) {
      return {
        ok: false,
        response: errorResponse(400, ServerErrorCode.returnUrlNotAllowed, '`returnUrl` is not on this server\'s allowlist.'),
      };
    }
    parsed.returnUrl = returnUrl;
  }
  return parsed;
}

function upstreamFailureResponse(failure: UpstreamFailure): Response {
  switch (failure.kind) {
    case 'timeout':
      return errorResponse(504, ServerErrorCode.upstreamTimeout, 'The verification service did not answer in time.');
    case 'unavailable':
      return errorResponse(
        503,
        ServerErrorCode.upstreamUnavailable,
        'The verification service is busy. Try again shortly.',
        // The upstream's own hint, capped: a link lives ~2 minutes, so asking a person to wait longer is pointless.
        retryAfterHeader(Math.min(failure.retryAfterMs, MAX_UPSTREAM_RETRY_AFTER_MS)),
      );
    case 'unauthorized':
      return errorResponse(
        502,
        ServerErrorCode.upstreamUnauthorized,
        failure.wrongKeyGroup
          ? 'The verification service refused the API key: it must belong to the Byteplus-Direct group.'
          : 'The verification service refused the API key.',
      );
    case 'unreachable':
      return errorResponse(502, ServerErrorCode.upstreamUnreachable, 'The verification service could not be reached.');
    default:
      return errorResponse(502, ServerErrorCode.upstreamError, 'The verification service answered with an error.');
  }
}

/** `POST {basePath}/sessions`: one upstream session per call, stored under a new random id. */
export async function createSessionRoute(context: HandlerContext, request: Request): Promise<Response> {
  const { options, emit } = context;
  const reject = (response: Response, code: string) => {
    emit({ type: 'request.rejected', httpStatus: response.status, code });
    return response;
  };
  const foreign = checkOrigin(context, request);
  if (foreign) return reject(foreign, ServerErrorCode.originNotAllowed);
  const denied = await authorizeRequest(context, request);
  if (denied) return reject(denied, denied.status === 401 ? ServerErrorCode.unauthorized : ServerErrorCode.forbidden);

  const body = await readJsonBody(request);
  if (!body.ok) return reject(body.response, 'invalid_body');
  const parsed = parseBody(context, request, body.value);
  if (!parsed.ok) return reject(parsed.response, 'invalid_body');

  if (context.limiter) {
    const slot = context.limiter.tryTake();
    if (!slot.ok) {
      emit({ type: 'rate_limited', action: 'create', httpStatus: 429 });
      return errorResponse(
        429,
        ServerErrorCode.rateLimited,
        'Too many verifications are starting right now. Try again shortly.',
        retryAfterHeader(slot.retryAfterMs),
      );
    }
  }

  const id = newSessionId();
  const started = options.clock();
  const callbackUrl = `${publicBaseUrl(context, request)}${options.basePath}/callback?sid=${id}`;
  const result = await context.upstream.createSession(callbackUrl);
  emit({
    type: 'upstream.response',
    sessionId: id,
    action: 'create',
    ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
    ...(result.ok ? {} : { code: result.failure.kind }),
    durationMs: result.durationMs,
  });
  const failed = (response: Response) => {
    emit({
      type: 'session.create_failed',
      httpStatus: response.status,
      ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
      durationMs: options.clock() - started,
    });
    return response;
  };
  if (!result.ok) return failed(upstreamFailureResponse(result.failure));

  let h5Link: string;
  try {
    h5Link = validateLink(result.value.h5Link, options.allowedHosts ? { allowedHosts: options.allowedHosts } : {});
  } catch (error) {
    if (!isLivenessError(error)) throw error;
    return failed(errorResponse(502, ServerErrorCode.upstreamInvalidLink, 'The verification service returned an unusable link.'));
  }
  if (parsed.locale) h5Link = setLinkLocale(h5Link, parsed.locale);

  // The link's lifetime starts when the upstream created it, i.e. no later than our request started.
  const expiresAt = started + options.sessionTtlMs;
  const session: StoredSession = {
    id,
    status: 'pending',
    bytedToken: result.value.bytedToken,
    h5Link,
    createdAt: started,
    expiresAt,
    purgeAt: expiresAt + options.retainMs,
    ...(parsed.locale ? { locale: parsed.locale } : {}),
    ...(parsed.returnUrl ? { returnUrl: parsed.returnUrl } : {}),
  };
  await options.store.create(session);

  const statusUrl = `${options.basePath}/sessions/${id}`;
  const response: CreateSessionResponse = {
    sessionId: id,
    h5Link,
    expiresAt: new Date(expiresAt).toISOString(),
    statusUrl,
    qrUrl: `${publicBaseUrl(context, request)}${options.basePath}/l/${id}`,
  };
  emit({ type: 'session.created', sessionId: id, status: 'pending', httpStatus: 201, durationMs: options.clock() - started });
  return jsonResponse(201, response);
}
