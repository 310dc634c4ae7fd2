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
 * The only error type the browser half throws or reports. Messages are written by this library and
 * never include the H5 link, the byted token or a response body.
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
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.serverCode !== undefined) this.serverCode = options.serverCode;
  }
}

/** Narrowing helper that survives duplicate copies of the library in one bundle. */
export function isLivenessError(value: unknown): value is LivenessError {
  return (
    value instanceof LivenessError ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'LivenessError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
