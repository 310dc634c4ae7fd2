import { authorizeRequest } from '../http/authorizeRequest.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse } from '../http/jsonResponse.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { isSessionId } from '../sessionId.js';
import type { StoredSession } from '../store/sessionStore.js';
import { sameSubject } from '../subject.js';

/**
 * The session a browser's request may read (the status route and the events route alike): the
 * `authorize` hook, then the id, then the subject. Another subject's session reads exactly like an
 * unknown one: its id (which travels in return URLs and logs) tells a different user nothing, not even
 * that it exists.
 */
export async function readableSession(context: HandlerContext, request: Request, id: string): Promise<{ ok: true; session: StoredSession } | { ok: false; response: Response }> {
  const authorized = await authorizeRequest(context, request);
  if (!authorized.ok) return authorized;
  const session = isSessionId(id) ? await context.options.store.get(id) : undefined;
  if (!session || (session.subject !== undefined && !sameSubject(authorized.subject, session.subject))) {
    return { ok: false, response: errorResponse(404, ServerErrorCode.notFound, 'No such verification session.') };
  }
  return { ok: true, session };
}
