/**
 * The JSON wire protocol between the browser half and the app's backend (see DESIGN.md).
 * Shared by the client parser and the `/server` handler so both sides agree on one shape.
 * Every optional field is optional on purpose: a backend that sends less still works.
 */

/** Locales the H5 page understands, as sent on the wire. */
export type WireLocale = 'zh' | 'en' | 'zh-Hant';

/**
 * Request header of `POST {endpoint}`: one opaque key per session attempt, the same on every automatic
 * retry of that attempt, a new one for each `retry()` or refresh. A server that has seen the key answers
 * with the same session instead of creating (and paying for) another one.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * Request header of what changes a session (`DELETE {statusUrl}`: cancel; `POST {sendUrl}`: send the
 * link to a phone): the `ownerKey` of the create answer, which only the page that created the session
 * holds. Never what the QR code shows: whoever sees the code (a photo, a screen share) must not be able
 * to end the session or have its link sent anywhere. The library's server changes a session only with
 * it; a session id alone, which travels in events, logs and return URLs, changes nothing.
 */
export const OWNER_KEY_HEADER = 'Liveness-Owner-Key';

/** The device a session is created on: the page's words after the check depend on it (never "go back to your computer" on a phone). */
export type CreateDevice = 'mobile' | 'desktop';

/** Body of `POST {endpoint}`. */
export interface CreateSessionRequest {
  locale?: WireLocale;
  /** Where the phone should land after the check (validated by the server against an allowlist; refused with 400 when not on it). */
  returnUrl?: string;
  /** The device the page runs on, as the page judges it (it knows an iPad that says "Macintosh"); else the server reads the User-Agent. */
  device?: CreateDevice;
  /**
   * The page that asks (its URL without `livenessSessionId`): the return URL when none is given and the
   * server allows it, so a tab that left for the check comes back to the app. Off the allowlist it is
   * ignored, never an error: it is a default, not a request.
   */
  pageUrl?: string;
}

/** 201 answer of `POST {endpoint}`. */
export interface CreateSessionResponse {
  sessionId: string;
  /** The upstream H5 link. A secret: never log it. */
  h5Link: string;
  /** ISO 8601 instant after which the link no longer works, on the server's clock. */
  expiresAt: string;
  /**
   * Milliseconds from the moment the server wrote this answer until `expiresAt` (never negative). With
   * `expiresAt` it tells the browser the server's clock, to the millisecond, whatever its own says.
   */
  expiresInMs?: number;
  /** Where the browser polls for the outcome. */
  statusUrl?: string;
  /** A short URL that redirects to `h5Link`; encodes into a much smaller QR code. */
  qrUrl?: string;
  /** A `text/event-stream` of status answers (the current one first), for pushing the outcome. */
  eventsUrl?: string;
  /**
   * A secret for the page that created the session, and for nobody else (never in the QR code, the
   * link or a redirect): sent back as `Liveness-Owner-Key` to change the session (cancel). Never log it.
   */
  ownerKey?: string;
  /**
   * Where the page asks the backend to send the link to the person's phone (`POST`, with the owner key),
   * for people who cannot scan the code. Only when the backend offers it (the `/server` handler's
   * `sendLink` option).
   */
  sendUrl?: string;
  /** The channels `sendUrl` takes, when it is offered. @default ['sms', 'email'] */
  sendChannels?: SendLinkChannel[];
}

/** How a link can be sent to a phone: a text message (`sms`) to an E.164 number, or an e-mail. */
export type SendLinkChannel = 'sms' | 'email';

/**
 * Body of `POST {sendUrl}`: where to send the session's link. `to` is an E.164 number (`+447700900123`)
 * for `sms` and a plain address (`name@example.com`: no display name, no second address) for `email`.
 */
export interface SendLinkRequest {
  channel: SendLinkChannel;
  to: string;
}

/** 200 answer of `POST {sendUrl}`: the app's sender took the message. */
export interface SendLinkResponse {
  channel: SendLinkChannel;
  /** How many more times this session's link may be sent (`/server` always says). */
  remaining?: number;
}

/** Outcome of a session as the backend reports it. */
export const SessionStatus = {
  pending: 'pending',
  verified: 'verified',
  failed: 'failed',
  expired: 'expired',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

/**
 * Why a session `failed`: `device` (the phone's camera or browser could not be used), `liveness` (the
 * face check itself did not pass), `unconfirmed` (the person may have passed, but the result could not
 * be obtained from the upstream in time), `unknown` (anything else).
 */
export const FailureReason = {
  device: 'device',
  liveness: 'liveness',
  unconfirmed: 'unconfirmed',
  unknown: 'unknown',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** 200 answer of `GET {statusUrl}` (and each event of `eventsUrl`). */
export interface SessionStatusResponse {
  sessionId: string;
  status: SessionStatus;
  /** The LivenessFace asset group, once `verified`. */
  groupId?: string;
  /** The upstream `resultCode` from the callback, once decided. */
  resultCode?: string;
  /** Why, once `failed`. */
  reason?: FailureReason;
  expiresAt: string;
  /** As in {@link CreateSessionResponse.expiresInMs}: the server's clock at the time of this answer. */
  expiresInMs?: number;
  /** ISO 8601: when a phone opened the QR code's short link (the person has the check in hand). */
  openedAt?: string;
  /**
   * ISO 8601: when the phone reported a passed check; the server is fetching the result (it may take a
   * few tries). The status stays `pending` meanwhile.
   */
  checkingSince?: string;
}

/** Body of every non-2xx answer. */
export interface ErrorResponseBody {
  error: { code: string; message: string };
}
