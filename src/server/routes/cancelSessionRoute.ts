import { OWNER_KEY_HEADER } from '../../core/wire/protocol.js';
import { admitSessionChange } from '../http/authorizeRequest.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse, jsonResponse } from '../http/jsonResponse.js';
import { mutateSession } from '../store/mutateSession.js';
import { isOwner, presentedOwnerKey } from '../ownerKey.js';
import { scheduleSettings } from '../result/resultStep.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { isSessionId } from '../sessionId.js';
import { sessionStatusBody } from '../sessionView.js';
import { sameSubject } from '../subject.js';

/**
 * `DELETE {basePath}/sessions/:id`: "Not you? Start again". A session still waiting for the person
 * (`pending`) ends for good: it reads `expired`, its short link answers 410, later callbacks change
 * nothing and no result call is made for it, even a check for a lost callback already under way (its
 * answer is dropped: a person who says "not me" must not be verified by whoever holds the phone). A
 * session whose result is being fetched after a success callback (`checking`) is left to finish: the
 * token may already be spent, and dropping the answer would lose a passed person's result for good;
 * the page then shows the outcome. A decided session stays as it is too.
 *
 * Same walls as creating one (Origin, then `authorize`; a session bound to another subject reads as
 * unknown), since a browser of another site must not end a person's verification, and one more: the
 * request must carry the session's owner key (`Liveness-Owner-Key`), which only the create answer gave
 * to the page that created it. Never the key of the short link: that is what the QR code shows, to
 * anyone who sees it. The session id alone, which travels in events, logs and return URLs, ends nothing
 * either; a missing or wrong key answers exactly like an unknown session. Answers the status as it
 * then is; repeating it changes nothing.
 */
export async function cancelSessionRoute(context: HandlerContext, request: Request, id: string): Promise<Response> {
  const { options, emit } = context;
  const authorized = await admitSessionChange(context, request);
  if (!authorized.ok) return authorized.response;
  const now = options.clock();
  const presented = await presentedOwnerKey(request.headers.get(OWNER_KEY_HEADER));
  // A request without the session's owner key, and another subject's session, read exactly like an unknown one.
  let notOwner = false;
  let othersSession = false;
  const result = isSessionId(id)
    ? await mutateSession(options.store, id, (session) => {
        notOwner = !isOwner(presented, session.ownerKeyHash);
        othersSession = session.subject !== undefined && !sameSubject(authorized.subject, session.subject);
        return !notOwner && !othersSession && session.status === 'pending' ? { status: 'cancelled', decidedAt: now, lease: undefined, nextAttemptAt: undefined } : undefined;
      })
    : undefined;
  if (result && notOwner) emit({ type: 'request.rejected', sessionId: id, httpStatus: 404, code: 'owner_key_mismatch' });
  if (!result || notOwner || othersSession) return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  if (result.changed) emit({ type: 'session.cancelled', sessionId: id, status: 'expired' });
  return jsonResponse(200, sessionStatusBody(result.session, options.clock(), scheduleSettings(context)));
}
