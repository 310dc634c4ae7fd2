import { CALLBACK_PAGE_HEADERS, callbackPage, localeFromAcceptLanguage, type CallbackPageKind } from './callbackPage.js';
import { failureReasonOf, SUCCESS_RESULT_CODE } from '../result/failureReason.js';
import type { HandlerContext } from '../handlerContext.js';
import { FINAL_CHECK_WINDOW_MS, FOREIGN_DECISION_WAIT_MS, INLINE_WAIT_MS, STORE_RETRY_AFTER_MS } from '../limits.js';
import { retryAfterHeader } from '../http/jsonResponse.js';
import { storeFailureResponse } from '../http/storeFailureResponse.js';
import { isLivenessStoreError } from '../store/storeError.js';
import { mutateSession } from '../store/mutateSession.js';
import { notifyFailed } from '../result/outcomeHooks.js';
import { advanceSession, scheduleSettings, within } from '../result/resultStep.js';
import { withSessionId } from '../http/returnUrl.js';
import { isSessionId } from '../sessionId.js';
import type { StoredSession } from '../store/sessionStore.js';
import { publicView } from '../sessionView.js';
import { timingSafeEqual } from '../http/timingSafeEqual.js';

const RESULT_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function page(kind: CallbackPageKind, locale: StoredSession['locale'], status: number, head: boolean, startedOn?: StoredSession['device']): Response {
  return new Response(head ? null : callbackPage(kind, locale, startedOn), { status, headers: CALLBACK_PAGE_HEADERS });
}

/**
 * Waits (bounded) for the result call another instance holds, reading the store with back-off: the
 * phone that sent the callback sees the outcome rather than "received" when it comes in time. Only
 * callbacks that carry the session's token ever wait here.
 */
async function foreignDecision(context: HandlerContext, session: StoredSession): Promise<StoredSession> {
  const { store, clock } = context.options;
  const deadline = Math.min(session.lease?.until ?? 0, clock() + FOREIGN_DECISION_WAIT_MS);
  let current = session;
  // Bounded in rounds too (about 10 s of sleeps), whatever the injected clock does.
  for (let delay = 100, round = 0; current.status === 'checking' && current.lease && clock() < deadline && round < 14; delay = Math.min(delay * 2, 1000), round += 1) {
    await sleep(delay);
    current = (await store.get(session.id)) ?? current;
  }
  return current;
}

/**
 * `GET {basePath}/callback?sid=…`: where the H5 page sends the phone. The query is attacker-controlled.
 * Without the session's byted token a request changes nothing, learns nothing (a neutral page, the same
 * for every session, before the store is even read) and is never redirected. With it, `resultCode=10000`
 * starts the server's own result call (only the upstream's answer can verify) and any other code fails a
 * still-pending session. Only then may the phone be sent to the return URL.
 */
export async function callbackRoute(context: HandlerContext, request: Request, head = false): Promise<Response> {
  try {
    return await answerCallback(context, request, head);
  } catch (error) {
    if (!isLivenessStoreError(error)) throw error;
    // The store cannot answer (or is set up wrong): the person on the phone has nothing to fix, and
    // may have started on this phone or on a computer, which cannot be read now. The neutral page fits
    // both (never "go back to your computer"); the session's result is found afterwards by the check
    // for a lost callback while the starting page still waits.
    const status = storeFailureResponse(error).status;
    context.emit({ type: 'request.rejected', httpStatus: status, code: error.code });
    const phoneLocale = localeFromAcceptLanguage(request.headers.get('Accept-Language'));
    return new Response(head ? null : callbackPage('neutral', phoneLocale), {
      status,
      headers: { ...CALLBACK_PAGE_HEADERS, ...(status === 503 ? retryAfterHeader(STORE_RETRY_AFTER_MS) : {}) },
    });
  }
}

async function answerCallback(context: HandlerContext, request: Request, head: boolean): Promise<Response> {
  const { options, emit } = context;
  const query = new URL(request.url).searchParams;
  const id = query.get('sid');
  const phoneLocale = localeFromAcceptLanguage(request.headers.get('Accept-Language'));
  if (!isSessionId(id)) {
    emit({ type: 'callback.rejected', code: 'unknown_session' });
    return page('unknown', phoneLocale, 404, head);
  }
  const queryToken = query.get('bytedToken');
  // The session id alone is no proof: it travels in events, logs and the return URL. A tokenless
  // request gets the same neutral page whatever the session's state, without a store read.
  if (queryToken === null || queryToken === '') {
    emit({ type: 'callback.rejected', sessionId: id, code: 'missing_token' });
    return page('neutral', phoneLocale, 200, head);
  }
  if (head) return page('neutral', phoneLocale, 200, true);
  let session = await options.store.get(id);
  if (!session) {
    emit({ type: 'callback.rejected', code: 'unknown_session' });
    return page('unknown', phoneLocale, 404, false);
  }
  if (!timingSafeEqual(queryToken, session.bytedToken)) {
    emit({ type: 'callback.rejected', sessionId: id, code: 'token_mismatch' });
    return page('neutral', phoneLocale, 200, false);
  }

  const resultCode = query.get('resultCode');
  const now = options.clock();
  // A callback is honoured until the last check for a lost callback would have run.
  const usable = session.status === 'pending' && now < session.expiresAt + FINAL_CHECK_WINDOW_MS;
  if (resultCode === null || !RESULT_CODE_PATTERN.test(resultCode)) {
    emit({ type: 'callback.rejected', sessionId: id, code: 'missing_result_code' });
  } else if (!usable && session.status === 'pending') {
    emit({ type: 'callback.rejected', sessionId: id, code: 'expired' });
  } else if (session.status === 'pending') {
    emit({ type: 'callback.received', sessionId: id, resultCode });
    if (resultCode === SUCCESS_RESULT_CODE) {
      const started = await mutateSession(options.store, id, (current) =>
        current.status === 'pending'
          ? {
              status: 'checking',
              resultCode,
              checkingSince: now,
              nextAttemptAt: now,
              // The result window may outlast the session's planned life: keep it until the window ends.
              purgeAt: Math.max(current.purgeAt, now + options.resultWindowMs + options.retainMs),
            }
          : undefined,
      );
      session = started?.session ?? session;
    } else {
      // A failed check needs no upstream call: the link is dead either way and a new session is needed.
      const reason = failureReasonOf(resultCode);
      const failed = await mutateSession(options.store, id, (current) => (current.status === 'pending' ? { status: 'failed', resultCode, reason, decidedAt: now } : undefined));
      if (failed?.changed) {
        emit({ type: 'session.failed', sessionId: id, status: 'failed', resultCode, reason });
        notifyFailed(context, failed.session);
      }
      session = failed?.session ?? session;
    }
  } else {
    emit({ type: 'callback.rejected', sessionId: id, code: session.status === 'checking' ? 'already_checking' : 'already_settled' });
  }

  if (session.status === 'checking') {
    session = (await within(context, advanceSession(context, id), INLINE_WAIT_MS)) ?? (await options.store.get(id)) ?? session;
    // Held by another instance: wait a little for its answer instead of showing "received".
    if (session.status === 'checking' && session.lease && !context.steps.has(id)) session = await foreignDecision(context, session);
  }

  // A phone that scanned the QR code belongs on the built-in page: the person goes back to the computer.
  if (session.returnUrl && session.openedAt === undefined) {
    return new Response(null, {
      status: 303,
      headers: {
        Location: withSessionId(session.returnUrl, session.id),
        'Cache-Control': 'no-store',
        // This URL holds the byted token; the app's page must not receive it as a Referer.
        'Referrer-Policy': 'no-referrer',
      },
    });
  }
  return page(publicView(session, options.clock(), scheduleSettings(context)).status, session.locale, 200, false, session.device);
}
