import type { LivenessError } from '../LivenessError.js';
import type { SessionData } from '../wire/parseSessionResponse.js';
import type { FailureReason, SendLinkRequest } from '../wire/protocol.js';

/** Where a session is in its life. `data-state` on the component carries the same names. */
export const LivenessStatus = {
  idle: 'idle',
  creating: 'creating',
  ready: 'ready',
  opened: 'opened',
  verified: 'verified',
  failed: 'failed',
  expired: 'expired',
  error: 'error',
} as const;
export type LivenessStatus = (typeof LivenessStatus)[keyof typeof LivenessStatus];

/**
 * The state, as one discriminated union shared by the hook and the component. Final states carry
 * the session id but not the link: once decided, the link is useless and stays out of app state.
 *
 * `opened`: the person has the check in hand, on a phone that opened the QR code's link (`openedAt`,
 * ISO 8601, from the backend's status) or in a tab this page opened (`markOpened()`, no `openedAt`).
 * Only the backend's answer moves it on: neither expiry nor an automatic refresh replaces an opened
 * link. `checkingSince` (ISO 8601) is set once the phone reported a passed check and the backend is
 * confirming the result.
 *
 * `failed` always says why (`reason`): the backend's own, else mapped from `resultCode`, else `unknown`.
 */
export type LivenessState =
  | { status: 'idle' }
  | { status: 'creating' }
  | { status: 'ready'; session: SessionData }
  | { status: 'opened'; session: SessionData; openedAt?: string; checkingSince?: string }
  | { status: 'verified'; sessionId: string; groupId: string; resultCode?: string }
  | { status: 'failed'; sessionId: string; resultCode?: string; reason: FailureReason }
  | { status: 'expired'; sessionId?: string }
  | { status: 'error'; error: LivenessError };

/** Callbacks, each called once per session and transition (also under StrictMode). */
export interface LivenessCallbacks {
  /** A session was created and its link validated. Do not log `session.h5Link`: it is a secret. */
  onSessionCreated?: (session: SessionData) => void;
  /** The backend confirmed the check; `groupId` is the LivenessFace asset group. Confirm it on your server. */
  onVerified?: (result: { sessionId: string; groupId: string; resultCode?: string }) => void;
  /**
   * The check failed, and why (`reason`: `device`, `liveness`, `unconfirmed` or `unknown`); a new session
   * is needed for another attempt.
   */
  onFailed?: (result: { sessionId: string; resultCode?: string; reason: FailureReason }) => void;
  /** The link expired and automatic refreshes are used up. */
  onExpired?: (result: { sessionId?: string }) => void;
  /** Creating the session failed for good (after automatic retries). */
  onError?: (error: LivenessError) => void;
  /** Every change of state. */
  onStateChange?: (state: LivenessState) => void;
}

/** What the hook returns: a snapshot of the session controller, replaced whenever anything in it changes. */
export interface LivenessSessionSnapshot {
  state: LivenessState;
  status: LivenessStatus;
  /** The session, while `ready` or `opened`. */
  session: SessionData | undefined;
  /** The error, once `error`. */
  error: LivenessError | undefined;
  /** How many times in a row the link was replaced because it expired (resets on `retry()`). */
  autoRefreshCount: number;
  /**
   * The page URL named a session this tab did not create (the check was done in another tab or on
   * another device, which then sent the phone to the return URL). The hook stays `idle` instead of
   * creating a session; `start()` creates one.
   */
  finishedElsewhere: boolean;
  /**
   * With `finishedElsewhere`: that session's outcome as the backend reports it (`verified` or `failed`),
   * read once from its status URL (`statusEndpoint`, else `{endpoint}/{id}`) so the page can say how
   * it went. Shown only: the state stays `idle`, no callback runs, and no group id is kept, because a
   * link anyone can send must never make this tab report someone else's verification as its own.
   */
  elsewhereOutcome: 'verified' | 'failed' | undefined;
  /**
   * The backend's clock minus this browser's, in milliseconds, as learned from its answers
   * (`expiresInMs`, or the `Date` header); 0 until known. The link's time left is
   * `Date.parse(session.expiresAt) - (Date.now() + serverTimeOffsetMs)`.
   */
  serverTimeOffsetMs: number;
  /** Starts creating a session when idle (with `enabled: false`, or after `reset()`). */
  start: () => void;
  /**
   * Drops the current session, error or outcome and creates exactly one new session. A session still
   * waiting for its outcome (`ready`, `opened`) is first cancelled on the backend, best-effort:
   * `DELETE {statusUrl}`, whose answer nobody waits for (a backend without the route changes nothing).
   */
  retry: () => void;
  /**
   * Tells the session that its link was opened on this device (the component calls it when the person
   * taps the link): `ready` becomes `opened`, and the link is no longer replaced when it expires.
   */
  markOpened: () => void;
  /** Cancels everything and returns to `idle`. */
  reset: () => void;
  /**
   * Asks the backend to send the session's link to the person's phone (`{ channel: 'sms', to:
   * '+447700900123' }` or `{ channel: 'email', to: 'name@example.com' }`): `POST {sendUrl}` with the
   * session's owner key, for people who cannot scan the code. Works while `ready`, when the create answer
   * offered `sendUrl` (`session.sendUrl`; `sendLinkChannels(session)` lists the channels); otherwise it rejects,
   * without a request, with a `LivenessError` of code `unavailable`. Resolves (with nothing) when the backend's sender
   * took the message; rejects with a `LivenessError` when it did not (`http` with `serverCode`:
   * `invalid_recipient`, `channel_not_allowed`, `send_rate_limited`, `session_opened`, `session_gone`,
   * `send_failed`…; or `network`, `timeout`). Never retried on its own: a retry could send twice. The
   * person's number or address is sent, never kept.
   */
  sendLink: (request: SendLinkRequest) => Promise<void>;
}
