import { defined } from '../defined.js';
import { isObject } from '../isObject.js';
import { livenessError, LivenessErrorCode, type LivenessError } from '../LivenessError.js';
import { UNSAFE_URL_CHARACTER, validateLink, type LinkValidationOptions } from './validateLink.js';

/** A created session, normalised from whichever shape the backend answered with. */
export interface SessionData {
  /** The backend's id for the session. Not a secret; safe to keep in `sessionStorage`. */
  sessionId: string;
  /** The validated H5 link (`\u0026` decoded). A secret: never log it. */
  h5Link: string;
  /** ISO 8601 expiry, when the backend said. */
  expiresAt?: string;
  /** Where to poll for the outcome, when the backend said. */
  statusUrl?: string;
  /** Where the outcome is pushed (Server-Sent Events), when the backend offers it. */
  eventsUrl?: string;
  /** A short URL for the QR code, when the backend offers one. */
  qrUrl?: string;
  /** Proof that this page created the session, sent to cancel it or to send its link (`Liveness-Owner-Key`). A secret: never log it. */
  ownerKey?: string;
  /** Where the link can be sent to the person's phone (`sendLink()`), when the backend offers it. */
  sendUrl?: string;
  /**
   * The create answer's `sendChannels` as the backend sent it, unchecked (a newer backend may list
   * channels this version does not know). Read it with `sendLinkChannels(session)`, which keeps the
   * known ones (and gives both without a list): only a page that offers sending loads that check.
   */
  sendChannels?: unknown;
}

/** Options for {@link parseSessionResponse}. */
export interface ParseSessionOptions extends LinkValidationOptions {
  /**
   * Makes a local id for shapes that carry none (Anyfast's flat answer has only the byted token,
   * which is a secret and must never double as an id).
   * @default crypto.randomUUID
   */
  createId?: () => string;
}

export function bad(devMessage: string | false, serverCode?: string): LivenessError {
  return livenessError(LivenessErrorCode.invalidResponse, devMessage, { serverCode });
}

export function optionalString(value: unknown, field: string, max = 2048): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw bad(process.env.NODE_ENV !== 'production' && `The session response has an invalid "${field}".`);
  return value;
}

export function sessionIdOf(value: unknown): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(value)) throw bad(process.env.NODE_ENV !== 'production' && 'The session response has no valid session id.');
  return value;
}

export function expiryOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Gateways send epoch seconds or milliseconds; anything below 1e12 cannot be milliseconds after 2001.
    ms = value < 1e12 ? value * 1000 : value;
  } else if (typeof value === 'string' && value.length <= 64) {
    ms = Date.parse(value);
  } else {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) throw bad(process.env.NODE_ENV !== 'production' && 'The session response has an invalid expiry time.');
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw bad(process.env.NODE_ENV !== 'production' && 'The session response has an invalid expiry time.');
  return date.toISOString();
}

export function backendUrlOf(value: unknown, field = 'statusUrl'): string | undefined {
  const url = optionalString(value, field);
  if (url === undefined) return undefined;
  // Relative URLs resolve against the endpoint; absolute ones must be http(s). Never a script URL.
  if ((/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:\/\//i.test(url)) || UNSAFE_URL_CHARACTER.test(url)) {
    throw bad(process.env.NODE_ENV !== 'production' && `The session response has an invalid "${field}".`);
  }
  return url;
}

// The create answer in the library's own protocol, the shape every page parses. Other backends'
// shapes (parseGatewaySession.ts) are loaded only when an answer is not this one.

/** Whether a create answer is in the library's own protocol (`sessionId`, `h5Link`, …). */
export const isOwnSessionShape = (json: unknown): json is Record<string, unknown> => isObject(json) && ('h5Link' in json || 'sessionId' in json);

/** Parses an answer in the library's own protocol; see {@link parseSessionResponse}. */
export function parseOwnSession(json: Record<string, unknown>, options: ParseSessionOptions = {}): SessionData {
  // Checked in this order, so the first bad field names the error.
  return defined({
    sessionId: sessionIdOf(json.sessionId),
    h5Link: validateLink(json.h5Link, options),
    expiresAt: expiryOf(json.expiresAt),
    statusUrl: backendUrlOf(json.statusUrl),
    eventsUrl: backendUrlOf(json.eventsUrl, 'eventsUrl'),
    qrUrl: json.qrUrl === undefined || json.qrUrl === null ? undefined : validateLink(json.qrUrl, { maxLength: options.maxLength }),
    ownerKey: optionalString(json.ownerKey, 'ownerKey', 256),
    sendUrl: backendUrlOf(json.sendUrl, 'sendUrl'),
    // Checked by sendLinkChannels(), loaded only where sending is offered.
    sendChannels: json.sendChannels,
  });
}
