import { queryOptions } from '@tanstack/react-query';
import type { LivenessError } from '../core/LivenessError.js';
import type { SessionData } from '../core/wire/parseSessionResponse.js';
import { randomId } from '../core/randomId.js';
import { sessionQuery, type CreateSessionOptions } from '../core/lifecycle/sessionQuery.js';
import type { LivenessLocale, LivenessLocaleData } from './text/displayText.js';
import { toWireLocale } from './toWireLocale.js';

export { isRetryableError, livenessQueryKey, retryDelay } from '../core/lifecycle/sessionQuery.js';

/** What every session request needs; shared by the hook, the component and the options factory. */
export interface SessionRequestOptions extends Omit<CreateSessionOptions, 'locale'> {
  /**
   * Language of the H5 page (`lng`): a code, or locale data from `react-liveness-session/locales`
   * (which `<LivenessSession>` also uses for its text).
   * @default the browser's preferred language among `en`, `zh-CN`, `zh-TW` (`navigator.languages`, read
   * when the session is created; `en` when it prefers none). On a server (a prefetch) none is sent and
   * the backend decides: `/server` applies the same rule to the request's `Accept-Language`.
   */
  locale?: LivenessLocale | LivenessLocaleData;
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
  /** Cancels the request. */
  signal?: AbortSignal;
}

/**
 * `queryOptions` for one session: prefetch with `queryClient.prefetchQuery(visualValidateSessionOptions({ … }))`
 * and pass the same `sessionKey` to the hook. The data never goes stale (a session is never refetched:
 * a refetch would create a second upstream session). An unobserved entry is dropped after two minutes,
 * the default link lifetime; the hook drops its entry at once when it unmounts. Every try of the
 * request carries the same `Idempotency-Key`, so a backend that honours it makes one session.
 */
export function visualValidateSessionOptions(options: VisualValidateSessionQueryOptions) {
  const wire = { ...options, locale: toWireLocale(options.locale) };
  return queryOptions<SessionData, LivenessError>(sessionQuery(options.sessionKey, options.attempt ?? 0, () => wire, { signal: options.signal, idempotencyKey: randomId() }));
}
