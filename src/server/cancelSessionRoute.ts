import { authorizeRequest } from './authorizeRequest.js';
import { checkOrigin } from './checkOrigin.js';
import type { HandlerContext } from './handlerContext.js';
import { errorResponse, jsonResponse } from './jsonResponse.js';
import { mutateSession } from './mutateSession.js';
import { scheduleSettings } from './resultStep.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';
import { sessionStatusBody } from './sessionView.js';

/**
 * `DELETE {basePath}/sessions/:id`: "Not you? Start again". A session still waiting for its outcome
 * (`pending`, or `checking` while its result is fetched) ends for good: it reads `expired`, its short
 * link answers 410, later callbacks change nothing and no result call is made for it, even one already
 * under way (its answer is dropped: a person who says "not me" must not be verified by whoever holds the
 * phone). A decided session stays as it is. Same walls as creating one (Origin, then `authorize`), since
 * a browser of another site must not end a person's verification. Answers the status as it then is;
 * repeating it changes nothing.
 */
export async function cancelSessionRoute(context: HandlerContext, request: Request, id: string): Promise<Response> {
  const { options, emit } = context;
  const reject = (response: Response, code: string) => {
    emit({ type: 'request.rejected', httpStatus: response.status, code });
    return response;
  };
  const foreign = checkOrigin(context, request);
  if (foreign) return reject(foreign, ServerErrorCode.originNotAllowed);
  const authorized = await authorizeRequest(context, request);
  if (!authorized.ok) {
    const { status } = authorized.response;
    return reject(authorized.response, status === 401 ? ServerErrorCode.unauthorized : status === 403 ? ServerErrorCode.forbidden : 'invalid_subject');
  }
  const now = options.clock();
  const result = isSessionId(id)
    ? await mutateSession(options.store, id, (session) =>
        session.status === 'pending' || session.status === 'checking' ? { status: 'cancelled', decidedAt: now, lease: undefined, nextAttemptAt: undefined } : undefined,
      )
    : undefined;
  if (!result) return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  if (result.changed) emit({ type: 'session.cancelled', sessionId: id, status: 'expired' });
  return jsonResponse(200, sessionStatusBody(result.session, options.clock(), scheduleSettings(context)));
}
