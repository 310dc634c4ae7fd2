import { asLivenessError } from '../LivenessError.js';
import { resolveEndpoint, type Endpoint } from '../wire/endpoint.js';
import { parseStatusResponse } from '../wire/parseStatusResponse.js';
import { pollingSource } from './pollingSource.js';
import type { ServerClock } from './ServerClock.js';
import type { Lifecycle, StatusEvent, WatchedSession } from './sessionLifecycle.js';
import { DEFAULT_POLL_INTERVAL_MS, lazySource, type StatusSource, type StatusSourceContext, type StatusSourceFactory } from './statusSource.js';
import { statusTransition } from './statusTransition.js';

// Watching a created session for its outcome: the status source (polling, or the event stream with
// polling as its fallback), the reading of the backend's answers and what they do to the session
// (statusTransition). Loaded lazily by the controller,
// which starts loading it while the first session is being created: the code runs only once there is
// a session to watch, and a page that never gets one (an error, consent never given) never needs it.

/** What the controller gives the code that watches one session. */
export interface WatchHost {
  target: WatchedSession;
  /** The attempt the session belongs to: answers for another are ignored. */
  attempt: number;
  /** The options when watching starts: endpoint, transport, poll interval. */
  options: { endpoint: Endpoint; transport?: 'auto' | 'poll' | undefined; pollIntervalMs?: number | undefined };
  /** The session's event stream, if its create answer named one. */
  eventsUrl: string | undefined;
  clock: ServerClock;
  active: boolean;
  /** The status source the controller was given (tests), instead of polling or the stream. */
  createSource: StatusSourceFactory | undefined;
  /** One status request: the answer's JSON; rejects with the request's `LivenessError`. */
  request: (signal: AbortSignal) => Promise<unknown>;
  /** Applies a rule to the session's lifecycle (the controller acts on the result). */
  step: (rule: (life: Lifecycle) => Lifecycle) => void;
  /** A status answer was applied: the server's clock may have moved the link's end. */
  answered: () => void;
}

export function watchSession(host: WatchHost): StatusSource {
  const { attempt, clock, options } = host;
  const said = (event: StatusEvent) => host.step((life) => statusTransition(life, event));
  // An answer that cannot be read throws: a poll counts it as failed, the stream stops trusting itself.
  const answer = (json: unknown) => {
    said({ type: 'statusAnswered', attempt, status: parseStatusResponse(json), serverClock: clock.known });
    host.answered();
  };
  const context: StatusSourceContext = {
    target: host.target,
    answer,
    intervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    active: host.active,
    read: (signal) =>
      host
        .request(signal)
        .then(answer)
        .catch((error: unknown) => {
          said({ type: 'statusFailed', attempt, error: asLivenessError(error), serverClock: clock.known, at: Date.now() });
          throw error;
        }),
  };
  const endpoint = resolveEndpoint(options.endpoint);
  // Pushed while the backend offers it and this page can listen (EventSource sends no custom headers).
  const eventsUrl = options.transport !== 'poll' && typeof EventSource == 'function' && !Object.keys(endpoint.headers).length ? host.eventsUrl : undefined;
  const factory =
    host.createSource ??
    (eventsUrl
      ? // Loaded on first use: pages that poll (transport 'poll', link mode, old backends) never download it.
        lazySource(() => import('./eventStreamSource.js').then((module) => module.eventStreamSource(eventsUrl, endpoint.credentials == 'include')), pollingSource)
      : pollingSource);
  return factory(context);
}
