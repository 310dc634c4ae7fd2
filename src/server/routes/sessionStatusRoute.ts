import { attendSession } from '../result/attendSession.js';
import type { HandlerContext } from '../handlerContext.js';
import { jsonResponse, withoutBody } from '../http/jsonResponse.js';
import { readableSession } from './readableSession.js';
import { scheduleSettings } from '../result/resultStep.js';
import { sessionStatusBody } from '../sessionView.js';

/**
 * `GET {basePath}/sessions/:id`: what the browser polls. Each poll also runs whatever result call is due
 * for the session (a retry, a probe for a lost callback, the check at expiry), bounded, so retries
 * happen on serverless platforms too, where nothing runs between requests. `HEAD` only reads.
 */
export async function sessionStatusRoute(context: HandlerContext, request: Request, id: string, head = false): Promise<Response> {
  const readable = await readableSession(context, request, id);
  if (!readable.ok) return readable.response;
  let { session } = readable;
  // Someone is waiting on this session: mark it watched and run any result call that is due.
  if (!head) session = await attendSession(context, session);
  const response = jsonResponse(200, sessionStatusBody(session, context.options.clock(), scheduleSettings(context)));
  return head ? withoutBody(response) : response;
}
