import type { HandlerContext } from './handlerContext.js';
import { errorResponse } from './jsonResponse.js';
import { ServerErrorCode } from './ServerErrorCode.js';

/** Runs the app's `authorize` hook; resolves to an error response when the request is refused. */
export async function authorizeRequest(context: HandlerContext, request: Request): Promise<Response | undefined> {
  const { authorize } = context.options;
  if (!authorize) return undefined;
  let allowed: boolean;
  try {
    allowed = await authorize(request);
  } catch {
    // The hook's error may describe the app's auth internals; the browser only learns "unauthorized".
    return errorResponse(401, ServerErrorCode.unauthorized, 'Sign in to start a verification.');
  }
  return allowed === false ? errorResponse(403, ServerErrorCode.forbidden, 'You may not start a verification.') : undefined;
}
