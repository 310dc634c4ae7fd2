import { authorizeRequest } from './authorizeRequest.js';
import type { HandlerContext } from './handlerContext.js';
import { errorResponse, jsonResponse } from './jsonResponse.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';
import { sessionStatusBody } from './sessionView.js';

/** `GET {basePath}/sessions/:id`: what the browser polls. Reads only; never calls upstream. */
export async function sessionStatusRoute(context: HandlerContext, request: Request, id: string): Promise<Response> {
  const denied = await authorizeRequest(context, request);
  if (denied) return denied;
  const session = isSessionId(id) ? await context.options.store.get(id) : undefined;
  if (!session) return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  return jsonResponse(200, sessionStatusBody(session, context.options.clock(), context.options.upstreamTimeoutMs));
}
