import type { HandlerContext } from '../handlerContext.js';
import { errorResponse, retryAfterHeader } from '../http/jsonResponse.js';
import { STREAM_RETRY_AFTER_MS } from '../limits.js';
import { readableSession } from './readableSession.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { STREAM_HEADERS } from './eventStream.js';
import { sessionEventStream } from './sessionEventStream.js';

/**
 * `GET {basePath}/sessions/:id/events`: the session's status pushed as Server-Sent Events, under the
 * status route's rules (`readableSession`: the `authorize` hook, the id, the subject). At most
 * `maxEventStreams` open at once in this handler: beyond it 503 with `Retry-After`, and the browser polls.
 * `HEAD` answers the headers of a stream without opening one.
 */
export async function sessionEventsRoute(context: HandlerContext, request: Request, id: string, head = false): Promise<Response> {
  const { maxEventStreams } = context.options;
  if (maxEventStreams === 0) return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  const readable = await readableSession(context, request, id);
  if (!readable.ok) return readable.response;
  const { session } = readable;
  if (head) return new Response(null, { status: 200, headers: STREAM_HEADERS });
  if (context.streams.open >= maxEventStreams) {
    context.emit({ type: 'request.rejected', sessionId: session.id, httpStatus: 503, code: ServerErrorCode.tooManyStreams });
    return errorResponse(503, ServerErrorCode.tooManyStreams, 'Too many open event streams: poll the status instead.', retryAfterHeader(STREAM_RETRY_AFTER_MS));
  }
  return sessionEventStream(context, request, session);
}
