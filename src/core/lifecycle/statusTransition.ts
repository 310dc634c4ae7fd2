import { failureReasonOf } from '../failureReason.js';
import type { LivenessError } from '../LivenessError.js';
import { creating, due, replace, settle, type Lifecycle, type StatusEvent } from './sessionLifecycle.js';

// What the backend's status answers do to a session: the other half of the rules (sessionLifecycle.ts
// has the page's own events). Pure; loaded with the code that watches a session (watchSession.ts).

/** The status cannot be read, and only the server could say the session is gone (404, 410). */
const gone = (error: LivenessError) => error.status === 404 || error.status === 410;

/** What a status answer, or a failed status request, does to the watched session. */
export function statusTransition(life: Lifecycle, event: StatusEvent): Lifecycle {
  const { state, watched } = life;
  if (event.attempt !== life.attempt || !watched) return life;
  const { sessionId } = watched;
  const opened = state.status === 'opened';
  if (event.type === 'statusFailed') {
    // Only the server could say an opened session is gone; anything else is asked again.
    if (opened) return gone(event.error) ? settle(life, { status: 'expired', sessionId }) : life;
    if (watched.resumeUntil !== undefined) {
      // A finished check must not be lost to a flaky network: keep asking while it can be decided.
      if (gone(event.error)) return creating(life, life.attempt + 1, 0);
      return event.at < watched.resumeUntil ? life : settle(life, { status: 'error', error: event.error });
    }
    // A backend that never told its time has no say on it: an unreadable status counts as pending.
    return watched.due === 'ask' && (gone(event.error) || !event.serverClock) ? replace(life) : life;
  }
  const { status, groupId, resultCode, reason } = event.status;
  // Once said, these stay said, also by a backend that does not repeat them.
  const { openedAt, checkingSince } = { ...(opened ? state : {}), ...event.status };
  if (status === 'verified' && groupId) {
    return settle(life, { status, sessionId, groupId, ...(resultCode ? { resultCode } : {}) });
  }
  if (status === 'failed') {
    // A backend that sends only the result code gets the same reasons as the library's own server.
    return settle(life, { status, sessionId, ...(resultCode ? { resultCode } : {}), reason: reason ?? failureReasonOf(resultCode) });
  }
  if (status === 'expired') {
    // An opened link is never replaced on its own: the person was using it, and a new code would be news.
    if (opened) return settle(life, { status, sessionId });
    return watched.resumeUntil === undefined ? replace(life) : creating(life, life.attempt + 1, 0);
  }
  // Pending. A phone has the link (or already finished it): the code's work is done, whatever the time.
  if (opened || (state.status === 'ready' && (openedAt || checkingSince))) {
    if (opened && state.openedAt === openedAt && state.checkingSince === checkingSince) return life;
    return { ...life, state: { status: 'opened', session: state.session, ...(openedAt ? { openedAt } : {}), ...(checkingSince ? { checkingSince } : {}) } };
  }
  // From a backend that knows its clock, pending wins over ours; from one that does not, the link is
  // over once our clock says so and the status does not say it was decided.
  if (watched.due !== 'ask') return life;
  return event.serverClock ? due(life, watched, 'wait') : replace(life);
}
