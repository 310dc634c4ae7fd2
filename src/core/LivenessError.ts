import { defined } from './defined.js';

/** Every way a session request can fail in the browser. */
export const LivenessErrorCode = {
  /** The request never got an answer (offline, DNS, CORS, connection reset). */
  network: 'network',
  /** No answer within the request timeout. */
  timeout: 'timeout',
  /** The backend answered with a non-2xx status; see `status` and `retryAfterMs`. */
  http: 'http',
  /** The backend answered 2xx but with a body no known shape matches. */
  invalidResponse: 'invalid_response',
  /** The link in the answer failed validation (scheme, host, length). */
  invalidLink: 'invalid_link',
  /** The request was cancelled (unmount, reset). */
  aborted: 'aborted',
  /**
   * Asked for what the session does not offer now: `sendLink()` while no session waits for a phone
   * (`ready`), or with a backend whose create answer had no `sendUrl`. No request was made.
   */
  unavailable: 'unavailable',
} as const;
export type LivenessErrorCode = (typeof LivenessErrorCode)[keyof typeof LivenessErrorCode];

export interface LivenessErrorOptions {
  status?: number;
  retryAfterMs?: number;
  /** The `error.code` from the backend's JSON error body, when there was one. */
  serverCode?: string;
  cause?: unknown;
}

/**
 * The only error type the browser half throws or reports. Its `code` is the thing to branch on. The
 * library's own messages are sentences for developers in development builds and the bare code
 * (`invalid_link`) in production builds, where `process.env.NODE_ENV` is `"production"`; they never
 * include the H5 link, the byted token, the API key or a response body.
 */
export class LivenessError extends Error {
  declare readonly code: LivenessErrorCode;
  /** HTTP status, for `code === 'http'`. */
  declare readonly status?: number;
  /** Parsed `Retry-After`, in milliseconds, when the backend sent one. */
  declare readonly retryAfterMs?: number;
  /** The backend's own error code, when its error body had one. */
  declare readonly serverCode?: string;

  constructor(code: LivenessErrorCode, message: string, options: LivenessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LivenessError';
    this.code = code;
    // Only the details that are given become properties.
    Object.assign(this, defined({ status: options.status, retryAfterMs: options.retryAfterMs, serverCode: options.serverCode }));
  }
}

/**
 * How the library makes its own errors: the message is `devMessage` in development and the code in
 * production. Every caller passes `process.env.NODE_ENV !== 'production' && '<sentence>'` written out
 * at the call site, so that an app's production build folds it to `false` and drops the sentence (a
 * bundler cannot drop an argument inside the function it is passed to).
 * @internal
 */
export function livenessError(code: LivenessErrorCode, devMessage: string | false, options?: LivenessErrorOptions): LivenessError {
  return new LivenessError(code, devMessage || code, options);
}

/** Narrowing helper that survives duplicate copies of the library in one bundle. */
export function isLivenessError(value: unknown): value is LivenessError {
  return (
    value instanceof LivenessError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'LivenessError' && typeof (value as { code?: unknown }).code === 'string')
  );
}

/** `error` itself when it is a `LivenessError`, else an `invalid_response` error caused by it. */
export const asLivenessError = (error: unknown): LivenessError =>
  isLivenessError(error) ? error : livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The session could not be created.', { cause: error });
