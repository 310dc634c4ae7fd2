import type { HandlerContext } from '../handlerContext.js';
import type { FailedSession, VerifiedSession } from '../handlerOptions.js';
import type { StoredSession } from '../store/sessionStore.js';

/** How one `onVerified` call went. */
export type PersistOutcome = 'ok' | 'threw' | 'timeout';

/**
 * Calls the app's `onVerified` for a session whose GroupId is stored, with a deadline. Resolves, never
 * rejects: a throw or a timeout is an outcome to retry, not an error of the request that drove it.
 */
export async function callOnVerified(context: HandlerContext, session: StoredSession): Promise<PersistOutcome> {
  const { onVerified, onVerifiedTimeoutMs } = context.options;
  if (!onVerified || !session.groupId) return 'ok';
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<PersistOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, onVerifiedTimeoutMs);
  });
  const result: VerifiedSession = {
    sessionId: session.id,
    groupId: session.groupId,
    verifiedAt: new Date(session.verifiedAt ?? context.options.clock()),
    ...(session.subject === undefined ? {} : { subject: session.subject }),
    ...(session.resultCode === undefined ? {} : { resultCode: session.resultCode }),
  };
  const call = (async (): Promise<PersistOutcome> => {
    await onVerified(result, { signal: controller.signal });
    return 'ok';
  })().catch((): PersistOutcome => 'threw');
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Tells the app's `onFailed` that a session ended failed. Called by whoever wrote the failure (one
 * writer wins the compare-and-set, so once per session); best-effort: its errors are swallowed, and it
 * is not awaited by the request, only handed to `waitUntil` where the platform offers it.
 */
export function notifyFailed(context: HandlerContext, session: StoredSession): void {
  const { onFailed, waitUntil } = context.options;
  if (!onFailed || session.status !== 'failed') return;
  const result: FailedSession = {
    sessionId: session.id,
    reason: session.reason ?? 'unknown',
    ...(session.subject === undefined ? {} : { subject: session.subject }),
    ...(session.resultCode === undefined ? {} : { resultCode: session.resultCode }),
  };
  const run = (async () => onFailed(result))().catch(() => undefined);
  waitUntil?.(run);
}
