import type { Endpoint } from '../wire/endpoint.js';
import { isLivenessError, LivenessErrorCode, type LivenessError } from '../LivenessError.js';
import { browserWireLocale } from '../preferredLocale.js';
import type { CreateDevice, WireLocale } from '../wire/protocol.js';
import { pageUrl } from './resumeStore.js';
import { requestSession, type RequestSessionOptions } from '../wire/requestSession.js';

// The create request as react-query runs it, for the options factory (prefetch) and the controller
// alike. Plain data: core hands it to a `QueryClient` it is given, and imports nothing of React.

/** What creating a session needs, as it goes on the wire. */
export interface CreateSessionOptions {
  /** The app's backend route that creates a session (the `/server` handler's `POST …/sessions`, or your own). */
  endpoint: Endpoint;
  /** A `fetch` to use instead of the global one (tests, auth wrappers). */
  fetch?: typeof globalThis.fetch;
  /** The H5 page's language. @default the browser's preferred one among `en`, `zh`, `zh-Hant` (else `en`); on a server, none (the backend decides) */
  locale?: WireLocale | undefined;
  /**
   * Where the phone returns after the check; the backend checks it against its allowlist (and refuses
   * the session when it is not on it). Without it the create request names the page it comes from
   * (`pageUrl`, without `livenessSessionId`), which the library's server uses as the return URL when
   * its allowlist takes it, and ignores otherwise: the tab that opened the check on this device comes
   * back to this page.
   * @default this page, when the backend allows it
   */
  returnUrl?: string;
  /**
   * The device this page runs on, sent with the create request so the backend's pages speak to it
   * (never "go back to your computer" to someone on their phone). `<LivenessSession>` sets it.
   * @default not sent: the library's server then judges from the User-Agent
   */
  device?: CreateDevice;
  /**
   * Timeout of the create request, in milliseconds (0 turns it off); status requests time out after
   * this or 15 s, whichever is shorter. @default 40000
   */
  timeoutMs?: number;
  /** Hosts the H5 link may point to, e.g. `['*.byteplus.com', 'h5-v2.kych5.com']`. @default any https host */
  allowedHosts?: readonly string[];
  /** Longest link accepted. @default 4096 */
  maxLinkLength?: number;
  /** Automatic retries for network errors, 429 and 5xx (never other 4xx). @default 2 */
  retry?: number;
}

/** Root of every cache key this library writes; `queryClient.removeQueries({ queryKey: livenessQueryKey })` forgets them all. */
export const livenessQueryKey = ['react-liveness-session'] as const;

export const sessionQueryKey = (sessionKey: string, attempt: number) => [...livenessQueryKey, 'session', sessionKey, attempt] as const;

/** Network errors, timeouts, 429 and 5xx: worth another try. */
export const isRetryableError = (error: unknown): boolean =>
  isLivenessError(error) &&
  (error.code === LivenessErrorCode.network || error.code === LivenessErrorCode.timeout || (error.code === LivenessErrorCode.http && (error.status === 429 || (error.status ?? 0) >= 500)));

/** Exponential back-off (1 s, 2 s, 4 s … capped at 10 s) that waits at least as long as `Retry-After`. */
export function retryDelay(failureCount: number, error: unknown): number {
  // react-query counts failures from 0 here (0 before the first retry), so this gives 1 s, 2 s, 4 s.
  const backoff = Math.min(1000 * 2 ** Math.max(0, failureCount), 10_000);
  const retryAfter = isLivenessError(error) ? error.retryAfterMs : undefined;
  return Math.min(Math.max(backoff, retryAfter ?? 0), 60_000);
}

/**
 * Query options that create one session under `[…, 'session', sessionKey, attempt]`. `current` is read
 * on every try, so an automatic retry goes to the endpoint the app gives now; `extra` holds what stays
 * fixed for the attempt (its abort signal, its idempotency key). The data never goes stale: a refetch
 * would create a second upstream session.
 */
export function sessionQuery(sessionKey: string, attempt: number, current: () => CreateSessionOptions, extra: Pick<RequestSessionOptions, 'signal' | 'idempotencyKey' | 'clock'>) {
  return {
    queryKey: sessionQueryKey(sessionKey, attempt),
    // Deliberately ignores react-query's own signal: react-query cancels and then re-runs a query whose
    // signal was read when StrictMode briefly unmounts it, which would create a second upstream session.
    queryFn: () => {
      const options = current();
      return requestSession({
        ...extra,
        endpoint: options.endpoint,
        body: {
          // The one place the browser half resolves the locale: read as the request leaves, never in render.
          locale: options.locale ?? browserWireLocale(),
          device: options.device,
          ...(options.returnUrl ? { returnUrl: options.returnUrl } : { pageUrl: pageUrl() }),
        },
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        allowedHosts: options.allowedHosts,
        maxLength: options.maxLinkLength,
      });
    },
    staleTime: Infinity,
    gcTime: 120_000,
    retry: (failureCount: number, error: LivenessError) => failureCount < (current().retry ?? 2) && isRetryableError(error),
    retryDelay,
    networkMode: 'always' as const,
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    structuralSharing: false,
  };
}
