import { queryOptions } from '@tanstack/react-query';
import type { LivenessError } from '../core/LivenessError.js';
import { resolveEndpoint, type Endpoint } from '../core/endpoint.js';
import { fetchJson } from '../core/fetchJson.js';
import { parseStatusResponse, type SessionStatusData } from '../core/parseStatusResponse.js';
import { livenessQueryKey } from './visualValidateSessionOptions.js';

/** Default time between two status requests while the page is visible. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Longest wait between status requests while the backend keeps failing. */
export const MAX_POLL_BACKOFF_MS = 30_000;

export interface SessionStatusQueryOptions {
  instanceKey: string;
  attempt: number;
  statusUrl: string;
  endpoint: Endpoint;
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
  pollIntervalMs?: number | undefined;
}

/** The delay before the next status request: the interval, doubled per consecutive failure, capped. */
export function pollDelay(intervalMs: number, failures: number): number {
  return failures > 0 ? Math.min(intervalMs * 2 ** failures, MAX_POLL_BACKOFF_MS) : intervalMs;
}

// react-query resets `fetchFailureCount` whenever a fetch starts, so with `retry: false` it never
// passes 1 and the back-off would stop at twice the interval. Count the failures since the last
// success instead, from the query's own update counters (kept per query object).
const successMarks = new WeakMap<object, { dataUpdateCount: number; errorUpdateCount: number }>();
function consecutiveFailures(query: { state: { status: string; dataUpdateCount: number; errorUpdateCount: number } }): number {
  const { status, dataUpdateCount, errorUpdateCount } = query.state;
  const mark = successMarks.get(query);
  if (!mark || mark.dataUpdateCount !== dataUpdateCount) {
    successMarks.set(query, { dataUpdateCount, errorUpdateCount: dataUpdateCount === 0 ? 0 : errorUpdateCount });
  }
  return status === 'error' ? errorUpdateCount - successMarks.get(query)!.errorUpdateCount : 0;
}

/**
 * Polls the app's backend (never the upstream API) for a session's outcome. react-query does the
 * scheduling: no requests while the tab is hidden (`refetchIntervalInBackground: false`) or offline
 * (`networkMode: 'online'`), one at once on focus and on reconnect, none after a final status.
 */
export function sessionStatusOptions(options: SessionStatusQueryOptions) {
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const endpoint = resolveEndpoint(options.endpoint);
  return queryOptions<SessionStatusData, LivenessError>({
    queryKey: [...livenessQueryKey, 'status', options.instanceKey, options.attempt, options.statusUrl] as const,
    queryFn: async ({ signal }) =>
      parseStatusResponse(
        await fetchJson(options.statusUrl, {
          method: 'GET',
          headers: endpoint.headers,
          credentials: endpoint.credentials,
          timeoutMs: options.timeoutMs ?? 15_000,
          signal,
          fetch: options.fetch,
        }),
      ),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (status && status !== 'pending') return false;
      return pollDelay(interval, consecutiveFailures(query));
    },
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: (query) => (query.state.data?.status ?? 'pending') === 'pending',
    refetchOnReconnect: (query) => (query.state.data?.status ?? 'pending') === 'pending',
    refetchOnMount: false,
    staleTime: 0,
    gcTime: 0,
    // Failures are retried by the interval itself, with back-off (see refetchInterval).
    retry: false,
    networkMode: 'online',
  });
}
