import { LINK_KEY_HEADER } from '../core/protocol.js';
import { admitSessionChange } from './authorizeRequest.js';
import type { HandlerContext } from './handlerContext.js';
import { errorResponse, jsonResponse } from './jsonResponse.js';
import { mutateSession } from './mutateSession.js';
import { scheduleSettings } from './resultStep.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId, sessionIdOf } from './sessionId.js';
import { sessionStatusBody } from './sessionView.js';
import { secretOfKey } from './shortLink.js';
import { sameSubject } from './subject.js';

/** Whether the request carries the key of this session's short link (what its session id is derived from). */
async function holdsLinkKey(request: Request, id: string): Promise<boolean> {
  const secret = secretOfKey(request.headers.get(LINK_KEY_HEADER) ?? '');
  return secret !== undefined && (await sessionIdOf(secret)) === id;
}

/**
 * `DELETE {basePath}/sessions/:id`: "Not you? Start again". A session still waiting for its outcome
 * (`pending`, or `checking` while its result is fetched) ends for good: it reads `expired`, its short
 * link answers 410, later callbacks change nothing and no result call is made for it, even one already
 * under way (its answer is dropped: a person who says "not me" must not be verified by whoever holds the
 * phone). A decided session stays as it is, and so does one whose GroupId the upstream already gave
 * (owed to the app's `onVerified`). Same walls as creating one (Origin, then `authorize`; a session bound
 * to another subject reads as unknown), since a browser of another site must not end a person's
 * verification, and one more: the request must carry
 * the key of the session's short link (`Liveness-Link-Key`), which only the page that created it holds.
 * The session id alone travels in events, logs and return URLs; it ends nothing (a missing or wrong key
 * answers exactly like an unknown session). Answers the status as it then is; repeating it changes
 * nothing.
 */
export async function cancelSessionRoute(context: HandlerContext, request: Request, id: string): Promise<Response> {
  const { options, emit } = context;
  const authorized = await admitSessionChange(context, request);
  if (!authorized.ok) return authorized.response;
  const now = options.clock();
  const owner = isSessionId(id) && (await holdsLinkKey(request, id));
  if (isSessionId(id) && !owner) emit({ type: 'request.rejected', sessionId: id, httpStatus: 404, code: 'link_key_mismatch' });
  // Another subject's session reads exactly like an unknown one, as on the status route.
  let othersSession = false;
  const result = owner
    ? await mutateSession(options.store, id, (session) => {
        othersSession = session.subject !== undefined && !sameSubject(authorized.subject, session.subject);
        // A GroupId already in hand (owed to the app's `onVerified`) is an outcome: it stays.
        const waiting = (session.status === 'pending' || session.status === 'checking') && session.groupId === undefined;
        return waiting && !othersSession ? { status: 'cancelled', decidedAt: now, lease: undefined, nextAttemptAt: undefined } : undefined;
      })
    : undefined;
  if (!result || othersSession) return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  if (result.changed) emit({ type: 'session.cancelled', sessionId: id, status: 'expired' });
  return jsonResponse(200, sessionStatusBody(result.session, options.clock(), scheduleSettings(context)));
}
