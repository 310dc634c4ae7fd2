import { checkOrigin } from './checkOrigin.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse } from './jsonResponse.js';
import { ServerErrorCode } from '../ServerErrorCode.js';

const MAX_SUBJECT_LENGTH = 512;

/** The request may go on (with the subject `authorize` named, if any), or this is the answer. */
export type Authorization = { ok: true; subject?: string } | { ok: false; response: Response };

/**
 * Runs the app's `authorize` hook. A subject that is not a non-empty string is the app's bug: it is
 * refused (500) rather than stored, since a session bound to a wrong subject could reach the wrong user.
 */
export async function authorizeRequest(context: HandlerContext, request: Request): Promise<Authorization> {
  const { authorize } = context.options;
  if (!authorize) return { ok: true };
  let answer: unknown;
  try {
    answer = await authorize(request);
  } catch {
    // The hook's error may describe the app's auth internals; the browser only learns "unauthorized".
    return { ok: false, response: errorResponse(401, ServerErrorCode.unauthorized, 'Sign in to start a verification.') };
  }
  if (answer === false) return { ok: false, response: errorResponse(403, ServerErrorCode.forbidden, 'You may not start a verification.') };
  if (typeof answer !== 'object' || answer === null) return { ok: true };
  const { subject } = answer as { subject?: unknown };
  if (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_LENGTH) {
    return { ok: false, response: errorResponse(500, ServerErrorCode.internal, 'Something went wrong on the server. Try again.') };
  }
  return { ok: true, subject };
}

/**
 * The walls of a request that starts or ends a session (create, cancel): the Origin check first, so
 * another site's page never reaches the app's `authorize` hook with the person's cookies, then
 * `authorize`. A refusal is reported through `onEvent` as `request.rejected` with its code.
 */
export async function admitSessionChange(context: HandlerContext, request: Request): Promise<Authorization> {
  const reject = (response: Response, code: string): Authorization => {
    context.emit({ type: 'request.rejected', httpStatus: response.status, code });
    return { ok: false, response };
  };
  const foreign = checkOrigin(context, request);
  if (foreign) return reject(foreign, ServerErrorCode.originNotAllowed);
  const authorized = await authorizeRequest(context, request);
  if (authorized.ok) return authorized;
  const { status } = authorized.response;
  return reject(authorized.response, status === 401 ? ServerErrorCode.unauthorized : status === 403 ? ServerErrorCode.forbidden : 'invalid_subject');
}
