import { isLivenessError } from '../../core/LivenessError.js';
import { IDEMPOTENCY_KEY_HEADER, type CreateDevice, type CreateSessionResponse, type WireLocale } from '../../core/wire/protocol.js';
import { DEFAULT_MAX_LINK_LENGTH, validateLink } from '../../core/wire/validateLink.js';
import { localeFromAcceptLanguage } from '../http/acceptLanguage.js';
import { admitSessionChange } from '../http/authorizeRequest.js';
import { FINAL_CHECK_WINDOW_MS, IDEMPOTENCY_KEY_PATTERN, MAX_RETURN_URL_LENGTH, MAX_UPSTREAM_RETRY_AFTER_MS } from '../limits.js';
import { setLinkLocale } from '../upstream/h5LinkLocale.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse, jsonResponse, retryAfterHeader } from '../http/jsonResponse.js';
import { clientKeyOf } from '../http/clientKeyOf.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { requestDevice } from '../http/requestDevice.js';
import { isAllowedReturnUrl } from '../http/returnUrl.js';
import { sha256Hex } from '../sha256.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { newOwnerKey, ownerKeyHash } from '../ownerKey.js';
import { newLinkSecret, sessionIdOf } from '../sessionId.js';
import { linkKey, shortLinkUrl } from '../shortLink.js';
import type { StoredSession } from '../store/sessionStore.js';
import { UpstreamBudget } from '../upstream/upstreamBudget.js';
import type { UpstreamFailure } from '../upstream/upstreamClient.js';

const LOCALES: readonly WireLocale[] = ['zh', 'en', 'zh-Hant'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The public base URL: the configured one, else the origin this request came to. */
export function publicBaseUrl(context: HandlerContext, request: Request): string {
  return context.options.publicUrl ?? new URL(request.url).origin;
}

interface ParsedBody {
  locale?: WireLocale;
  returnUrl?: string;
  device: CreateDevice;
}

const DEVICES: readonly CreateDevice[] = ['mobile', 'desktop'];

function parseBody(context: HandlerContext, value: unknown, request: Request): { ok: true; body: ParsedBody } | { ok: false; response: Response } {
  const invalid = (message: string) => ({ ok: false as const, response: errorResponse(400, ServerErrorCode.invalidRequest, message) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('The body must be a JSON object.');
  const { locale, returnUrl, device, pageUrl } = value as { locale?: unknown; returnUrl?: unknown; device?: unknown; pageUrl?: unknown };
  if (device !== undefined && device !== null && !DEVICES.includes(device as CreateDevice)) return invalid('`device` must be "mobile" or "desktop".');
  if (pageUrl !== undefined && pageUrl !== null && (typeof pageUrl !== 'string' || pageUrl.length > MAX_RETURN_URL_LENGTH)) {
    return invalid(`\`pageUrl\` must be a URL of at most ${MAX_RETURN_URL_LENGTH} characters.`);
  }
  const body: ParsedBody = { device: (device as CreateDevice | null | undefined) ?? requestDevice(request) };
  // Never the request's own Host: anyone can send any Host, and the phone would be redirected there.
  const allowed = context.options.returnUrlRules;
  if (locale !== undefined && locale !== null) {
    if (typeof locale !== 'string' || !LOCALES.includes(locale as WireLocale)) {
      return invalid('`locale` must be one of "zh", "en", "zh-Hant".');
    }
    body.locale = locale as WireLocale;
  }
  if (returnUrl !== undefined && returnUrl !== null) {
    if (typeof returnUrl !== 'string' || returnUrl.length === 0 || returnUrl.length > MAX_RETURN_URL_LENGTH) {
      return invalid(`\`returnUrl\` must be a URL of at most ${MAX_RETURN_URL_LENGTH} characters.`);
    }
    if (!isAllowedReturnUrl(returnUrl, allowed)) {
      return { ok: false, response: errorResponse(400, ServerErrorCode.returnUrlNotAllowed, "`returnUrl` is not on this server's allowlist.") };
    }
    body.returnUrl = returnUrl;
  } else if (typeof pageUrl === 'string' && isAllowedReturnUrl(pageUrl, allowed)) {
    // The page that asked is where its own tab comes back to after the check (a phone that tapped the
    // link), when the allowlist says so; a page off it just gets the built-in page, as before.
    body.returnUrl = pageUrl;
  }
  return { ok: true, body };
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
        failure.wrongKeyGroup ? 'The verification service refused the API key: it must belong to the Byteplus-Direct group.' : 'The verification service refused the API key.',
      );
    case 'unreachable':
      return errorResponse(502, ServerErrorCode.upstreamUnreachable, 'The verification service could not be reached.');
    default:
      return errorResponse(502, ServerErrorCode.upstreamError, 'The verification service answered with an error.');
  }
}

/**
 * The link as the phone's browser will request it: parsed and serialised by the URL rules (non-ASCII
 * and spaces percent-encoded, the host in punycode), so that it can go into a `Location` header and a
 * QR code unchanged. `undefined` when it is not a usable link.
 */
function usableLink(raw: string, allowedHosts: readonly string[] | undefined): string | undefined {
  try {
    const link = new URL(validateLink(raw, allowedHosts ? { allowedHosts } : {})).href;
    return link.length <= DEFAULT_MAX_LINK_LENGTH && /^[\x21-\x7e]+$/.test(link) ? link : undefined;
  } catch (error) {
    if (error instanceof TypeError || isLivenessError(error)) return undefined;
    throw error;
  }
}

/**
 * The 201 body for a stored session; a repeat of an idempotent create gets the same one, with the time
 * left now, and the same owner key (kept in its idempotency record: the session keeps only its hash).
 */
function createdResponse(context: HandlerContext, session: StoredSession, ownerKey: string | undefined): Response {
  const body: CreateSessionResponse = {
    sessionId: session.id,
    h5Link: session.h5Link,
    expiresAt: new Date(session.expiresAt).toISOString(),
    expiresInMs: Math.max(0, Math.round(session.expiresAt - context.options.clock())),
    statusUrl: `${context.options.basePath}/sessions/${session.id}`,
    qrUrl: session.qrUrl,
  };
  if (context.options.maxEventStreams > 0) body.eventsUrl = `${context.options.basePath}/sessions/${session.id}/events`;
  if (ownerKey !== undefined) body.ownerKey = ownerKey;
  if (context.options.sendLink) {
    body.sendUrl = `${context.options.basePath}/sessions/${session.id}/send`;
    body.sendChannels = [...context.options.sendLinkChannels];
  }
  return jsonResponse(201, body);
}

interface NewSession {
  id: string;
  secret: Uint8Array;
  /** The secret the creating page gets in the answer; the session keeps its hash. */
  ownerKey: string;
  /** The app's subject (from `authorize`) the session belongs to. */
  subject: string | undefined;
  /** Frees the idempotency key when the attempt fails, so the browser's retry may create anew. */
  release?: () => Promise<unknown>;
}

/** Budgets, then the upstream call, then the store: one new upstream session. */
async function createNew(context: HandlerContext, request: Request, body: ParsedBody, client: string | undefined, fresh: NewSession): Promise<Response> {
  const { options, emit } = context;
  const refuse = async (response: Response) => {
    await fresh.release?.();
    return response;
  };
  // The client's id (a hash of its key) names its budget and is kept with the session: the result calls
  // its callbacks start are charged to this client. Hashed once, and only while clients have budgets
  // (without them nothing is charged to anyone).
  const createdBy = client !== undefined && context.budget.chargesClients ? await UpstreamBudget.clientId(client) : undefined;
  // The client's own budget first: a client over it must not spend the shared one.
  const clientSlot = client === undefined ? undefined : await context.budget.clientSlot(client, createdBy);
  if (clientSlot && !clientSlot.ok) {
    emit({ type: 'rate_limited', action: 'create', httpStatus: 429, code: ServerErrorCode.clientRateLimited });
    return refuse(errorResponse(429, ServerErrorCode.clientRateLimited, 'You started too many verifications. Try again in a minute.', retryAfterHeader(clientSlot.retryAfterMs)));
  }
  const slot = await context.budget.upstreamSlot('create');
  if (!slot.ok) {
    // Not this client's fault: its own budget gets the slot back.
    if (clientSlot?.ok) await clientSlot.giveBack();
    emit({ type: 'rate_limited', action: 'create', httpStatus: 429 });
    return refuse(errorResponse(429, ServerErrorCode.rateLimited, 'Too many verifications are starting right now. Try again shortly.', retryAfterHeader(slot.retryAfterMs)));
  }

  const { id } = fresh;
  const started = options.clock();
  const base = publicBaseUrl(context, request);
  const callbackUrl = `${base}${options.basePath}/callback?sid=${id}`;
  // The client may give up meanwhile (a slow gateway): the call runs to its end anyway, because the
  // upstream makes (and bills) the session either way, and the browser's retry with the same
  // Idempotency-Key then gets it.
  const result = await context.upstream.createSession(callbackUrl);
  emit({
    type: 'upstream.response',
    sessionId: id,
    action: 'create',
    ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
    ...(result.ok ? {} : { code: result.failure.kind }),
    durationMs: result.durationMs,
  });
  const failed = async (response: Response) => {
    emit({
      type: 'session.create_failed',
      httpStatus: response.status,
      ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
      durationMs: options.clock() - started,
    });
    return refuse(response);
  };
  if (!result.ok) return failed(upstreamFailureResponse(result.failure));
  let h5Link = usableLink(result.value.h5Link, options.allowedHosts);
  if (!h5Link) return failed(errorResponse(502, ServerErrorCode.upstreamInvalidLink, 'The verification service returned an unusable link.'));
  // Always set: the upstream page's own default is Chinese. Without a locale in the body, the same rule
  // as the browser half, applied to what the request's browser accepts (English when nothing fits).
  const locale = body.locale ?? localeFromAcceptLanguage(request.headers.get('accept-language'));
  h5Link = setLinkLocale(h5Link, locale);

  // The link's lifetime starts when the upstream created it, i.e. no later than our request started.
  const expiresAt = started + options.sessionTtlMs;
  const session: StoredSession = {
    id,
    version: 0,
    status: 'pending',
    bytedToken: result.value.bytedToken,
    h5Link,
    qrUrl: shortLinkUrl(base, options.basePath, linkKey(fresh.secret, options.uppercaseShortLink), options.uppercaseShortLink),
    createdAt: started,
    expiresAt,
    purgeAt: expiresAt + FINAL_CHECK_WINDOW_MS + options.retainMs,
    locale,
    ...(body.returnUrl ? { returnUrl: body.returnUrl } : {}),
    device: body.device,
    ...(fresh.subject === undefined ? {} : { subject: fresh.subject }),
    ...(createdBy === undefined ? {} : { createdBy }),
    ownerKeyHash: await ownerKeyHash(fresh.ownerKey),
  };
  await options.store.create(session);
  emit({ type: 'session.created', sessionId: id, status: 'pending', httpStatus: 201, durationMs: options.clock() - started });
  return createdResponse(context, session, fresh.ownerKey);
}

interface KeyRecord {
  sessionId: string;
  /** SHA-256 of what the request asked for: the same key with another body is another request. */
  fingerprint: string;
  /** Until then the create is in flight; after it, a creator that never finished has died. */
  until: number;
  /** The session's owner key, so that a repeat answers it too (the session keeps only its hash). */
  ownerKey?: string;
}

function readRecord(raw: string): KeyRecord | undefined {
  try {
    const value = JSON.parse(raw) as KeyRecord;
    return typeof value.sessionId === 'string' && typeof value.fingerprint === 'string' && typeof value.until === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A create with an `Idempotency-Key`: the key (scoped to the client and the subject, so nobody else's
 * repeat of it finds this session) is recorded before the upstream call. A repeat while the call is in flight waits for it
 * (in this process on its promise, elsewhere by reading the store with back-off) and gets the same
 * session; a repeat afterwards gets it at once; a repeat with another body is refused (422).
 */
async function idempotentCreate(context: HandlerContext, request: Request, body: ParsedBody, client: string | undefined, subject: string | undefined, key: string): Promise<Response> {
  const { options, records, emit } = context;
  // JSON, not a separator: no client and subject can be chosen to collide with another pair.
  const recordKey = `idempotency:${await sha256Hex(JSON.stringify([client ?? null, subject ?? null, key]))}`;
  const fingerprint = await sha256Hex(JSON.stringify([body.locale ?? null, body.returnUrl ?? null, body.device]));
  const inFlightMs = options.upstreamTimeoutMs + 5_000;
  const ttlMs = options.sessionTtlMs + inFlightMs;
  for (let round = 0; round < 5; round += 1) {
    const raw = await records.get(recordKey);
    const record = raw === undefined ? undefined : readRecord(raw);
    if (raw !== undefined && record) {
      if (record.fingerprint !== fingerprint) {
        emit({ type: 'request.rejected', httpStatus: 422, code: ServerErrorCode.idempotencyKeyReused });
        return errorResponse(422, ServerErrorCode.idempotencyKeyReused, 'This Idempotency-Key was used for another request.');
      }
      const existing = await options.store.get(record.sessionId);
      if (existing) {
        emit({ type: 'session.reused', sessionId: existing.id, httpStatus: 201 });
        return createdResponse(context, existing, typeof record.ownerKey === 'string' ? record.ownerKey : undefined);
      }
      const local = context.creates.get(recordKey);
      if (local) {
        await local;
        continue;
      }
      if (options.clock() < record.until) {
        // In flight in another instance: wait until its session appears or its record changes (bounded
        // in rounds too, so an injected clock that stands still cannot hold the request for ever).
        for (let delay = 250, rounds = 0; options.clock() < record.until && rounds < inFlightMs / 250; delay = Math.min(delay * 2, 1000), rounds += 1) {
          await sleep(delay);
          if ((await options.store.get(record.sessionId)) || (await records.get(recordKey)) !== raw) break;
        }
        continue;
      }
    }
    const secret = newLinkSecret();
    const id = await sessionIdOf(secret);
    const ownerKey = newOwnerKey();
    const mine = JSON.stringify({ sessionId: id, fingerprint, until: options.clock() + inFlightMs, ownerKey } satisfies KeyRecord);
    // Claim the key (or take over one whose creator died): a compare-and-set, so one request wins.
    if (!(await records.swap(recordKey, raw ?? null, mine, ttlMs))) continue;
    const run = createNew(context, request, body, client, { id, secret, ownerKey, subject, release: () => records.swap(recordKey, mine, null, 0) });
    context.creates.set(recordKey, run);
    try {
      return await run;
    } finally {
      context.creates.delete(recordKey);
    }
  }
  return errorResponse(503, ServerErrorCode.upstreamUnavailable, 'This verification is being started right now. Try again shortly.', retryAfterHeader(1000));
}

/**
 * `POST {basePath}/sessions`: one upstream session per attempt, stored under an id derived from the
 * QR short link's own secret. With an `Idempotency-Key`, repeats of one attempt share that session.
 */
export async function createSessionRoute(context: HandlerContext, request: Request): Promise<Response> {
  const { emit } = context;
  const reject = (response: Response, code: string) => {
    emit({ type: 'request.rejected', httpStatus: response.status, code });
    return response;
  };
  const authorized = await admitSessionChange(context, request);
  if (!authorized.ok) return authorized.response;
  const { subject } = authorized;

  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key !== null && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return reject(errorResponse(400, ServerErrorCode.invalidRequest, `\`${IDEMPOTENCY_KEY_HEADER}\` must be 16 to 200 visible ASCII characters.`), 'invalid_idempotency_key');
  }
  const read = await readJsonBody(request);
  if (!read.ok) return reject(read.response, 'invalid_body');
  const parsed = parseBody(context, read.value, request);
  if (!parsed.ok) return reject(parsed.response, 'invalid_body');

  // The client scopes an Idempotency-Key and has a budget of its own; without either it is not asked for.
  const client = key !== null || context.budget.chargesClients ? await clientKeyOf(context, request) : undefined;
  if (key !== null) return idempotentCreate(context, request, parsed.body, client, subject, key);
  const secret = newLinkSecret();
  return createNew(context, request, parsed.body, client, { id: await sessionIdOf(secret), secret, ownerKey: newOwnerKey(), subject });
}
