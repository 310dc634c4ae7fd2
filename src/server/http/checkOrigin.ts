import type { HandlerContext } from '../handlerContext.js';
import { errorResponse } from './jsonResponse.js';
import { ServerErrorCode } from '../ServerErrorCode.js';

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses session creation from another site's page (CSRF). The JSON `Content-Type` requirement already
 * forces a CORS preflight that this handler never grants, so this is the second wall: it still holds
 * when an app puts permissive CORS middleware in front, and it stops a request before the `authorize`
 * hook runs with the person's cookies or the upstream budget is spent.
 *
 * Same-origin means the origin of `publicUrl` or the origin the request was addressed to (its `Host`),
 * so an app reached both through its public name and directly keeps working. A request without `Origin`
 * is allowed (servers, curl), unless the browser's `Sec-Fetch-Site` says it is cross-site.
 */
export function checkOrigin(context: HandlerContext, request: Request): Response | undefined {
  const { allowedOrigins, publicOrigin } = context.options;
  if (allowedOrigins === false) return undefined;
  const header = request.headers.get('Origin');
  const refuse = () => errorResponse(403, ServerErrorCode.originNotAllowed, 'Verifications can only be started from this site.');
  if (header === null) {
    return request.headers.get('Sec-Fetch-Site') === 'cross-site' ? refuse() : undefined;
  }
  // `null` is what sandboxed frames, file: pages and some cross-site redirects send: never trusted.
  const origin = originOf(header.trim());
  if (!origin) return refuse();
  // The usual case first: the page on the public origin, or an allowed one, with nothing more to parse.
  if (origin === publicOrigin || allowedOrigins.includes(origin)) return undefined;
  const addressed = new URL(request.url);
  // Some frameworks (Next.js route handlers) rewrite `request.url` to localhost; a browser's `Host`
  // is the name it actually addressed, so Origin == scheme://Host is the classic same-origin test.
  const host = request.headers.get('Host');
  const own = [addressed.origin, ...(host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? [`${addressed.protocol}//${host.toLowerCase()}`] : [])];
  return own.includes(origin) ? undefined : refuse();
}
