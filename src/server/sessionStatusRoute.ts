import { authorizeRequest } from './authorizeRequest.js';
import type { HandlerContext } from './handlerContext.js';
import { errorResponse, jsonResponse, withoutBody } from './jsonResponse.js';
import { INLINE_WAIT_MS } from './limits.js';
import { mutateSession } from './mutateSession.js';
import { nextStep } from './resultSchedule.js';
import { advanceSession, scheduleSettings, within } from './resultStep.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';
import { sameSubject } from './subject.js';
import { sessionStatusBody } from './sessionView.js';

/**
 * `GET {basePath}/sessions/:id`: what the browser polls. Each poll also runs whatever result call is due
 * for the session (a retry, a probe for a lost callback, the check at expiry), bounded, so retries
 * happen on serverless platforms too, where nothing runs between requests. `HEAD` only reads.
 */
export async function sessionStatusRoute(context: HandlerContext, request: Request, id: string, head = false): Promise<Response> {
  const authorized = await authorizeRequest(context, request);
  if (!authorized.ok) return authorized.response;
  const { store, clock } = context.options;
  let session = isSessionId(id) ? await store.get(id) : undefined;
  // Another subject's session reads exactly like an unknown one: its id (which travels in return URLs
  // and logs) tells a different user nothing, not even that it exists.
  if (!session || (session.subject !== undefined && !sameSubject(authorized.subject, session.subject))) {
    return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  }
  const settings = scheduleSettings(context);
  if (!head) {
    // Someone is waiting on this session: a lost callback is now worth looking for. Written once.
    if (session.watchedAt === undefined && session.status === 'pending') {
      session = (await mutateSession(store, id, (current) => (current.watchedAt === undefined ? { watchedAt: clock() } : undefined)))?.session ?? session;
      context.timers.schedule(id, nextStep(session, clock(), settings));
    }
    const step = nextStep(session, clock(), settings);
    if (step.kind !== 'idle' && step.at <= clock()) {
      session = (await within(context, advanceSession(context, id), INLINE_WAIT_MS)) ?? session;
    }
  }
  const response = jsonResponse(200, sessionStatusBody(session, clock(), settings));
  return head ? withoutBody(response) : response;
}
