import { parseStatusResponse, type SessionStatusData } from '../wire/parseStatusResponse.js';
import { pollingSource } from './pollingSource.js';
import type { WatchedSession } from './sessionLifecycle.js';
import { lazySource, type StatusSource, type StatusSourceContext, type StatusSourceFactory } from './statusSource.js';

export { statusTransition } from './statusTransition.js';

// Watching a created session for its outcome: the status source (polling, or the event stream with
// polling as its fallback), the reading of the backend's answers and what they do to the session
// (statusTransition). Loaded lazily by the controller,
// which starts loading it while the first session is being created: the code runs only once there is
// a session to watch, and a page that never gets one (an error, consent never given) never needs it.

/** What the controller gives the code that watches one session. */
export interface WatchHost {
  target: WatchedSession;
  /** One status request: the answer's JSON; rejects with the request's `LivenessError`. */
  request: (signal: AbortSignal) => Promise<unknown>;
  /** A status answer, read. */
  answered: (status: SessionStatusData) => void;
  /** A status request failed, or its answer could not be read. */
  failed: (error: unknown) => void;
  intervalMs: number;
  active: boolean;
  /** The session's event stream, when this page may use one (else it polls). */
  eventsUrl: string | undefined;
  withCredentials: boolean;
  /** The status source the controller was given (tests), instead of polling or the stream. */
  createSource: StatusSourceFactory | undefined;
}

export function watchSession(host: WatchHost): StatusSource {
  // An answer that cannot be read throws: a poll counts it as failed, the stream stops trusting itself.
  const answer = (json: unknown) => host.answered(parseStatusResponse(json));
  const context: StatusSourceContext = {
    target: host.target,
    answer,
    intervalMs: host.intervalMs,
    active: host.active,
    read: (signal) =>
      host
        .request(signal)
        .then(answer)
        .catch((error: unknown) => {
          host.failed(error);
          throw error;
        }),
  };
  const { eventsUrl } = host;
  const factory =
    host.createSource ??
    (eventsUrl
      ? // Loaded on first use: pages that poll (transport 'poll', link mode, old backends) never download it.
        lazySource(() => import('./eventStreamSource.js').then((module) => module.eventStreamSource(eventsUrl, host.withCredentials)), pollingSource)
      : pollingSource);
  return factory(context);
}
