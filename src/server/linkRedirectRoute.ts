import type { HandlerContext } from './handlerContext.js';
import { errorResponse } from './jsonResponse.js';
import { ServerErrorCode } from './ServerErrorCode.js';
import { isSessionId } from './sessionId.js';

/**
 * `GET {basePath}/l/:id`: the short URL in the QR code. Redirects to the H5 link only while the session
 * can still be used, so a photographed QR code stops working once the session is over.
 */
export async function linkRedirectRoute(context: HandlerContext, id: string): Promise<Response> {
  const session = isSessionId(id) ? await context.options.store.get(id) : undefined;
  if (!session) return errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  if (session.status !== 'pending' || context.options.clock() >= session.expiresAt) {
    return errorResponse(410, ServerErrorCode.sessionGone, 'This verification link has ended. Start a new one on your computer.');
  }
  // A failed write only costs the phone a redirect to the return URL later; the scan itself must work.
  if (!session.openedViaQr) await context.options.store.update(session.id, 'pending', { openedViaQr: true }).catch(() => undefined);
  return new Response(null, {
    status: 302,
    headers: {
      Location: session.h5Link,
      // The link carries credentials: keep it out of caches, and keep this URL out of the H5 page's Referer.
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}
