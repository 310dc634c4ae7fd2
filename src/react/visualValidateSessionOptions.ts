import { queryOptions } from '@tanstack/react-query';
import { isLivenessError, LivenessErrorCode, type LivenessError } from '../core/LivenessError.js';
import type { Endpoint } from '../core/endpoint.js';
import type { SessionData } from '../core/parseSessionResponse.js';
import type { CreateSessionRequest } from '../core/protocol.js';
import { requestSession } from '../core/requestSession.js';
import type { LivenessLocale, LivenessLocaleData } from './displayText.js';
import { toWireLocale } from './toWireLocale.js';

/** What every session request needs; shared by the hook, the component and the options factory. */
export interface SessionRequestOptions {
  /** The app's backend route that creates a session (the `/server` handler's `POST …/sessions`, or your own). */
  endpoint: Endpoint;
  /** A `fetch` to use instead of the global one (tests, auth wrappers). */
  fetch?: typeof globalThis.fetch;
  /**
   * Language of the H5 page (`lng`): a code, or locale data from `react-liveness-session/locales`
   * (which `<LivenessSession>` also uses for its text). @default 'en'
   */
  locale?: LivenessLocale | LivenessLocaleData;
  /** Where the phone returns after the check; the backend checks it against its allowlist. */
  returnUrl?: string;
  /** Request timeout in milliseconds. @default 15000 */
  timeoutMs?: number;
  /** Hosts the H5 link may point to, e.g. `['*.byteplus.com', 'h5-v2.kych5.com']`. @default any https host */
  allowedHosts?: readonly string[];
  /** Longest link accepted. @default 4096 */
  maxLinkLength?: number;
  /** Automatic retries for network errors, 429 and 5xx (never other 4xx). @default 2 */
  retry?: number;
}

/** Options of {@link visualValidateSessionOptions}. */
export interface VisualValidateSessionQueryOptions extends SessionRequestOptions {
  /**
   * Names the cache entry, so a prefetch and a hook can share one session. Without it each mounted
   * hook has its own private key.
   */
  sessionKey: string;
  /** Bumped by `retry()`: each attempt is a new session under a new key. @default 0 */
  attempt?: number;
  /** Cancels the request (the hook aborts on unmount and reset). */
  signal?: AbortSignal;
}

/** Root of every cache key this library writes; `queryClient.removeQueries({ queryKey: livenessQueryKey })` forgets them all. */
export const livenessQueryKey = ['react-liveness-session'] as const;

export function isRetryableError(error: unknown): boolean {
  if (!isLivenessError(error)) return false;
  if (error.code === LivenessErrorCode.network || error.code === LivenessErrorCode.timeout) return true;
  if (error.code === LivenessErrorCode.http && error.status !== undefined) return error.status === 429 || error.status >= 500;
  return false;
}

/** Exponential back-off (1 s, 2 s, 4 s … capped at 10 s) that waits at least as long as `Retry-After`. */
export function retryDelay(failureCount: number, error: unknown): number {
  // react-query counts failures from 0 here (0 before the first retry), so this gives 1 s, 2 s, 4 s.
  const backoff = Math.min(1000 * 2 ** Math.max(0, failureCount), 10_000);
  const retryAfter = isLivenessError(error) ? error.retryAfterMs : undefined;
  return Math.min(Math.max(backoff, retryAfter ?? 0), 60_000);
}

/**
 * `queryOptions` for one session: prefetch with `queryClient.prefetchQuery(visualValidateSessionOptions({ … }))`
 * and pass the same `sessionKey` to the hook. The data never goes stale (a session is never refetched:
 * a refetch would create a second upstream session). An unobserved entry is dropped after two minutes,
 * the default link lifetime; the hook drops its entry at once when it unmounts.
 */
export function visualValidateSessionOptions(options: VisualValidateSessionQueryOptions) {
  const maxRetries = options.retry ?? 2;
  return queryOptions<SessionData, LivenessError>({
    queryKey: [...livenessQueryKey, 'session', options.sessionKey, options.attempt ?? 0] as const,
    // Deliberately ignores react-query's own signal: react-query cancels and then re-runs a query whose
    // signal was read when StrictMode briefly unmounts it, which would create a second upstream session.
    queryFn: () => {
      const body: CreateSessionRequest = {};
      const wire = toWireLocale(options.locale);
      if (wire) body.locale = wire;
      if (options.returnUrl) body.returnUrl = options.returnUrl;
      return requestSession({
        endpoint: options.endpoint,
        body,
        fetch: options.fetch,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        allowedHosts: options.allowedHosts,
        maxLength: options.maxLinkLength,
      });
    },
    staleTime: Infinity,
    gcTime: 120_000,
    retry: (failureCount, error) => failureCount < maxRetries && isRetryableError(error),
    retryDelay,
    networkMode: 'always',
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    structuralSharing: false,
  });
}
