/**
 * The JSON wire protocol between the browser half and the app's backend (see DESIGN.md).
 * Shared by the client parser and the `/server` handler so both sides agree on one shape.
 */

/** Locales the H5 page understands, as sent on the wire. */
export type WireLocale = 'zh' | 'en' | 'zh-Hant';

/** Body of `POST {endpoint}`. */
export interface CreateSessionRequest {
  locale?: WireLocale;
  /** Where the phone should land after the check (validated by the server against an allowlist). */
  returnUrl?: string;
}

/** 201 answer of `POST {endpoint}`. */
export interface CreateSessionResponse {
  sessionId: string;
  /** The upstream H5 link. A secret: never log it. */
  h5Link: string;
  /** ISO 8601 instant after which the link no longer works. */
  expiresAt: string;
  /** Where the browser polls for the outcome. */
  statusUrl?: string;
  /** A short URL that redirects to `h5Link`; encodes into a much smaller QR code. */
  qrUrl?: string;
}

/** Outcome of a session as the backend reports it. */
export const SessionStatus = {
  pending: 'pending',
  verified: 'verified',
  failed: 'failed',
  expired: 'expired',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];

/** 200 answer of `GET {statusUrl}`. */
export interface SessionStatusResponse {
  sessionId: string;
  status: SessionStatus;
  /** The LivenessFace asset group, once `verified`. */
  groupId?: string;
  /** The upstream `resultCode` from the callback, once decided. */
  resultCode?: string;
  expiresAt: string;
}

/** Body of every non-2xx answer. */
export interface ErrorResponseBody {
  error: { code: string; message: string };
}
