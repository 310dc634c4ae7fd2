import type { LivenessError } from '../LivenessError.js';
import type { LivenessState } from './livenessState.js';
import type { SessionData } from '../wire/parseSessionResponse.js';
import type { SessionStatusData } from '../wire/parseStatusResponse.js';

// The rules of a session's life, in two pure functions: what each of the page's own events does to the
// state (`transition`, here), and what the backend's status answers do (`statusTransition`, in
// statusTransition.ts, loaded with the code that watches a session). Timers, requests, listeners and
// callbacks live in the controller, which only reacts to what these decide.

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

/** The page's own events: the app, the person, the clock, a create request. */
export type SessionEvent =
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
  | { type: 'linkOpened'; attempt: number };

/** What the backend says about the watched session (statusTransition.ts). */
export type StatusEvent =
  /** `serverClock`: the backend has told its time (so its `pending` is a judgement of time too). */
  { type: 'statusAnswered'; attempt: number; status: SessionStatusData; serverClock: boolean } | { type: 'statusFailed'; attempt: number; error: LivenessError; serverClock: boolean; at: number };

export type LifecycleEvent = SessionEvent | StatusEvent;

const IDLE: LivenessState = { status: 'idle' };
const CREATING: LivenessState = { status: 'creating' };

export function initialLifecycle(enabled: boolean, maxAutoRefresh = 3): Lifecycle {
  return { state: enabled ? CREATING : IDLE, attempt: 0, autoRefreshCount: 0, maxAutoRefresh, finishedElsewhere: false };
}

/** A new session is to be created under `attempt`. */
export function creating(life: Lifecycle, attempt: number, autoRefreshCount: number): Lifecycle {
  return { ...life, state: CREATING, attempt, autoRefreshCount, finishedElsewhere: false, elsewhereOutcome: undefined, watched: undefined };
}

export function settle(life: Lifecycle, state: LivenessState): Lifecycle {
  return { ...life, state, watched: undefined };
}

/** The link ran out unused: a new one while refreshes are left, else `expired`. */
export function replace(life: Lifecycle): Lifecycle {
  if (life.autoRefreshCount < life.maxAutoRefresh) return creating(life, life.attempt + 1, life.autoRefreshCount + 1);
  return settle(life, { status: 'expired', sessionId: (life.state as { session: SessionData }).session.sessionId });
}

export const due = (life: Lifecycle, watched: WatchedSession, due: WatchedSession['due']): Lifecycle => ({ ...life, watched: { ...watched, due } });

/** What one of the page's own events does to the session. */
export function transition(life: Lifecycle, event: SessionEvent): Lifecycle {
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
  return life;
}
