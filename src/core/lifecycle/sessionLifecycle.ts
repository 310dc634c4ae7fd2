import { failureReasonOf } from '../failureReason.js';
import type { LivenessError } from '../LivenessError.js';
import type { LivenessState } from './livenessState.js';
import type { SessionData } from '../wire/parseSessionResponse.js';
import type { SessionStatusData } from '../wire/parseStatusResponse.js';

// The rules of a session's life, in one pure function: what each event does to the state. Timers,
// requests, listeners and callbacks live in the controller, which only reacts to what this decides.

/** A session whose outcome is asked for: the one on screen, or one picked up after a round trip. */
export interface WatchedSession {
  sessionId: string;
  statusUrl: string;
  /** Picked up after a same-tab round trip: until this time (local ms), unreadable answers are retried. */
  resumeUntil?: number;
  /**
   * The link's time is up on the server's clock: `ask` the status before replacing it; `wait` once a
   * backend that knows its clock still calls it pending (it is confirming a result): replace it only
   * when it says `expired`.
   */
  due?: 'ask' | 'wait';
}

export interface Lifecycle {
  /** What the app sees. */
  state: LivenessState;
  /** Bumped whenever a session is left behind; answers for an older attempt are ignored. */
  attempt: number;
  /** Links replaced in a row because they ran out unused. */
  autoRefreshCount: number;
  maxAutoRefresh: number;
  finishedElsewhere: boolean;
  /** With `finishedElsewhere`: the outcome the server reports for that session, once read. */
  elsewhereOutcome?: 'verified' | 'failed' | undefined;
  watched?: WatchedSession | undefined;
}

export type LifecycleEvent =
  | { type: 'start' }
  | { type: 'retry' }
  | { type: 'reset' }
  | { type: 'configure'; maxAutoRefresh: number }
  /** The page URL names a session this tab created: ask its status instead of creating one. */
  | { type: 'resumeFound'; watched: WatchedSession }
  /** The page URL names a session this tab did not create. */
  | { type: 'foreignFound' }
  /** That session's outcome, read once from the server: shown, never adopted. */
  | { type: 'elsewhereRead'; outcome: 'verified' | 'failed' }
  | { type: 'created'; attempt: number; session: SessionData; statusUrl: string | undefined }
  | { type: 'createFailed'; attempt: number; error: LivenessError }
  /** The link's `expiresAt` passed on the server's clock, while someone can see the page. */
  | { type: 'linkRanOut'; attempt: number }
  /** The person opened the link on this device (tapped it). */
  | { type: 'linkOpened'; attempt: number }
  /** `serverClock`: the backend has told its time (so its `pending` is a judgement of time too). */
  | { type: 'statusAnswered'; attempt: number; status: SessionStatusData; serverClock: boolean }
  | { type: 'statusFailed'; attempt: number; error: LivenessError; serverClock: boolean; at: number };

const IDLE: LivenessState = { status: 'idle' };
const CREATING: LivenessState = { status: 'creating' };

export function initialLifecycle(enabled: boolean, maxAutoRefresh = 3): Lifecycle {
  return { state: enabled ? CREATING : IDLE, attempt: 0, autoRefreshCount: 0, maxAutoRefresh, finishedElsewhere: false };
}

/** A new session is to be created under `attempt`. */
function creating(life: Lifecycle, attempt: number, autoRefreshCount: number): Lifecycle {
  return { ...life, state: CREATING, attempt, autoRefreshCount, finishedElsewhere: false, elsewhereOutcome: undefined, watched: undefined };
}

function settle(life: Lifecycle, state: LivenessState): Lifecycle {
  return { ...life, state, watched: undefined };
}

/** The link ran out unused: a new one while refreshes are left, else `expired`. */
function replace(life: Lifecycle): Lifecycle {
  if (life.autoRefreshCount < life.maxAutoRefresh) return creating(life, life.attempt + 1, life.autoRefreshCount + 1);
  return settle(life, { status: 'expired', sessionId: (life.state as { session: SessionData }).session.sessionId });
}

const due = (life: Lifecycle, watched: WatchedSession, due: WatchedSession['due']): Lifecycle => ({ ...life, watched: { ...watched, due } });

/** The status cannot be read, and only the server could say the session is gone (404, 410). */
const gone = (error: LivenessError) => error.status === 404 || error.status === 410;

export function transition(life: Lifecycle, event: LifecycleEvent): Lifecycle {
  const { state, watched } = life;
  if ('attempt' in event && event.attempt !== life.attempt) return life;
  switch (event.type) {
    case 'configure':
      return event.maxAutoRefresh === life.maxAutoRefresh ? life : { ...life, maxAutoRefresh: event.maxAutoRefresh };
    case 'start':
      return state.status === 'idle' ? creating(life, life.attempt, 0) : life;
    case 'retry':
      return creating(life, life.attempt + 1, 0);
    case 'reset':
      return { ...settle(life, IDLE), attempt: life.attempt + 1, autoRefreshCount: 0 };
    case 'resumeFound':
      return { ...life, state: CREATING, watched: event.watched };
    case 'foreignFound':
      return { ...life, state: IDLE, finishedElsewhere: true };
    case 'elsewhereRead':
      return life.finishedElsewhere && state.status === 'idle' ? { ...life, elsewhereOutcome: event.outcome } : life;
    case 'created':
      if (state.status !== 'creating' || watched) return life;
      return {
        ...life,
        state: { status: 'ready', session: event.session },
        watched: event.statusUrl ? { sessionId: event.session.sessionId, statusUrl: event.statusUrl } : undefined,
      };
    case 'createFailed':
      return state.status === 'creating' && !watched ? { ...life, state: { status: 'error', error: event.error } } : life;
    case 'linkOpened':
      return state.status === 'ready' ? { ...life, state: { status: 'opened', session: state.session } } : life;
    case 'linkRanOut':
      // Only for a link nobody opened: an opened one is the server's to end (without a status URL it
      // stays, with "Start again" as the way out). Without a status URL the clock decides.
      return state.status !== 'ready' || watched?.due ? life : watched ? due(life, watched, 'ask') : replace(life);
  }
  if (!watched) return life;
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
