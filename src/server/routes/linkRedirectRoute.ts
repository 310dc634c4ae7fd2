import { CALLBACK_PAGE_HEADERS, callbackPage } from './callbackPage.js';
import { deviceCookieHeader, deviceHash, deviceTokenOf, newDeviceToken } from '../http/deviceCookie.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse } from '../http/jsonResponse.js';
import { mutateSession } from '../store/mutateSession.js';
import { nextStep } from '../result/resultSchedule.js';
import { scheduleSettings } from '../result/resultStep.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { sessionIdOf } from '../sessionId.js';
import { secretOfKey } from '../shortLink.js';
import type { StoredSession } from '../store/sessionStore.js';
import { timingSafeEqual } from '../http/timingSafeEqual.js';

const ONE_HOUR_S = 3600;

function notFound(): Response {
  return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
}

function openedElsewhere(session: StoredSession, head: boolean): Response {
  // No Location and no link: this phone learns only that the code is taken.
  return new Response(head ? null : callbackPage('opened_elsewhere', session.locale, session.device), { status: 409, headers: CALLBACK_PAGE_HEADERS });
}

/**
 * `GET {basePath}/l/:key`: the short URL in the QR code. Its key is the link's own secret (the session id
 * is derived from it, one way), and the first phone to open it owns it: that browser gets an `HttpOnly`
 * cookie and the redirect to the H5 link, every other device a page saying the code was opened on another
 * phone. Only while the session can still be used, so a photographed code stops working once it is over.
 * `HEAD` answers the same status without binding anything or revealing the link.
 */
export async function linkRedirectRoute(context: HandlerContext, request: Request, key: string, head = false): Promise<Response> {
  const { options, emit } = context;
  const secret = secretOfKey(key);
  if (!secret) return notFound();
  const id = await sessionIdOf(secret);
  const session = await options.store.get(id);
  if (!session) return notFound();
  const now = options.clock();
  if (session.status !== 'pending' || now >= session.expiresAt) {
    return errorResponse(410, ServerErrorCode.sessionGone, 'This verification link has ended. Start a new one on your computer.');
  }
  const token = deviceTokenOf(request);
  const hash = token ? await deviceHash(token) : undefined;
  if (head) {
    const mine = session.openedBy !== undefined && hash !== undefined && timingSafeEqual(hash, session.openedBy);
    return session.openedBy === undefined || mine ? new Response(null, { status: 200, headers: CALLBACK_PAGE_HEADERS }) : openedElsewhere(session, true);
  }

  const deviceToken = token ?? newDeviceToken();
  const deviceId = hash ?? (await deviceHash(deviceToken));
  // First open binds, atomically: of two phones opening at once, exactly one wins the compare-and-set.
  const bound = await mutateSession(options.store, id, (current) => (current.openedBy === undefined && current.status === 'pending' ? { openedBy: deviceId, openedAt: now } : undefined));
  const owner = bound?.session.openedBy;
  if (!bound || owner === undefined || !timingSafeEqual(owner, deviceId)) {
    emit({ type: 'link.rejected', sessionId: id, code: 'opened_elsewhere', httpStatus: 409 });
    return openedElsewhere(session, false);
  }
  if (bound.changed) {
    emit({ type: 'session.opened', sessionId: id });
    // The phone has the check now: look for a lost callback from here on (timers only; requests too).
    context.timers.schedule(id, nextStep(bound.session, now, scheduleSettings(context)));
  }
  return new Response(null, {
    status: 302,
    headers: {
      Location: session.h5Link,
      'Set-Cookie': deviceCookieHeader(deviceToken, session.qrUrl, Math.max(ONE_HOUR_S, (session.expiresAt - now) / 1000 + 60)),
      // The link carries credentials: keep it out of caches, and keep this URL out of the H5 page's Referer.
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}
