import type { HandlerContext } from '../handlerContext.js';
import { INLINE_WAIT_MS } from '../limits.js';
import { mutateSession } from '../store/mutateSession.js';
import { nextStep } from './resultSchedule.js';
import { advanceSession, scheduleSettings, within } from './resultStep.js';
import type { StoredSession } from '../store/sessionStore.js';

/**
 * What a desktop waiting on a session (a status poll, or an open event stream) does to it: marks it
 * watched, so that a lost callback is worth looking for (written once), and runs whatever result call
 * is due (a retry, a probe, the check at expiry), bounded, so retries happen on serverless platforms
 * too, where nothing runs between requests. Resolves to the session as it then is.
 */
export async function attendSession(context: HandlerContext, session: StoredSession): Promise<StoredSession> {
  const { store, clock } = context.options;
  const { id } = session;
  const settings = scheduleSettings(context);
  if (session.watchedAt === undefined && session.status === 'pending') {
    session = (await mutateSession(store, id, (current) => (current.watchedAt === undefined ? { watchedAt: clock() } : undefined)))?.session ?? session;
    context.timers.schedule(id, nextStep(session, clock(), settings));
  }
  const step = nextStep(session, clock(), settings);
  if (step.kind !== 'idle' && step.at <= clock()) {
    session = (await within(context, advanceSession(context, id), INLINE_WAIT_MS)) ?? session;
  }
  return session;
}
