import { CALLBACK_PAGE_HEADERS, callbackPage, localeFromAcceptLanguage, type CallbackPageKind } from './callbackPage.js';
import type { HandlerContext } from './handlerContext.js';
import { checkResultOnce, waitForDecision } from './resultCheck.js';
import { withSessionId } from './returnUrl.js';
import { isSessionId } from './sessionId.js';
import type { StoredSession } from './sessionStore.js';
import { publicStatus } from './sessionView.js';
import { timingSafeEqual } from './timingSafeEqual.js';

const SUCCESS_CODE = '10000';
const RESULT_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

function page(kind: CallbackPageKind, locale: StoredSession['locale'], status: number): Response {
  return new Response(callbackPage(kind, locale), { status, headers: CALLBACK_PAGE_HEADERS });
}

/**
 * `GET {basePath}/callback?sid=…`: where the H5 page sends the phone. The query is attacker-controlled,
 * so even with the right session id and byted token it can only ever start the server's own result check
 * (`resultCode=10000`) or mark a still-pending session failed; `verified` comes solely from the
 * upstream's answer to the stored token. Without the matching token a callback changes nothing.
 */
export async function callbackRoute(context: HandlerContext, request: Request): Promise<Response> {
  const { options, emit } = context;
  const query = new URL(request.url).searchParams;
  const id = query.get('sid');
  let session = isSessionId(id) ? await options.store.get(id) : undefined;
  if (!session) {
    emit({ type: 'callback.rejected', code: 'unknown_session' });
    return page('unknown', localeFromAcceptLanguage(request.headers.get('Accept-Language')), 404);
  }

  const resultCode = query.get('resultCode');
  const queryToken = query.get('bytedToken');
  const usable = session.status === 'pending' && options.clock() < session.expiresAt;
  let rejection: string | undefined;
  // The token is required on both paths. The session id alone is no proof: it sits in the QR's short URL,
  // which anyone glancing at the screen (or a screen share) can read, and without this check they could
  // end a stranger's session, as failed directly or through a premature result call that answers
  // "not found". The real H5 page always sends the token back, so honest phones never lack it.
  if (queryToken === null || queryToken === '') rejection = 'missing_token';
  else if (!timingSafeEqual(queryToken, session.bytedToken)) rejection = 'token_mismatch';
  else if (resultCode === null || !RESULT_CODE_PATTERN.test(resultCode)) rejection = 'missing_result_code';
  else if (!usable) rejection = session.status === 'pending' ? 'expired' : 'already_settled';

  if (rejection) {
    emit({ type: 'callback.rejected', sessionId: session.id, code: rejection });
  } else if (resultCode !== null) {
    emit({ type: 'callback.received', sessionId: session.id, resultCode });
    if (resultCode === SUCCESS_CODE) {
      session = (await checkResultOnce(context, session.id)) ?? session;
    } else {
      // A failed check needs no upstream call: the link is dead either way and a new session is needed.
      const failed = await options.store.update(session.id, 'pending', {
        status: 'failed',
        resultCode,
        decidedAt: options.clock(),
      });
      if (failed) emit({ type: 'session.failed', sessionId: session.id, status: 'failed', resultCode });
      session = failed ?? (await options.store.get(session.id)) ?? session;
    }
  }
  if (session.status === 'checking') {
    // Another callback (here or in another process) is mid-check; show its outcome, not a stale "pending".
    session = (await waitForDecision(context, session.id)) ?? session;
  }

  // A phone that scanned the QR code belongs on the built-in page: the person goes back to the computer.
  if (session.returnUrl && !session.openedViaQr) {
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
  return page(publicStatus(session, options.clock(), options.upstreamTimeoutMs), session.locale, 200);
}
