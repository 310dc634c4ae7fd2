import { QueryClient, QueryClientContext, useQuery } from '@tanstack/react-query';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { isLivenessError, LivenessError, LivenessErrorCode } from '../core/LivenessError.js';
import type { SessionData } from '../core/parseSessionResponse.js';
import { livenessQueryKey, visualValidateSessionOptions, type SessionRequestOptions } from './visualValidateSessionOptions.js';

/** Where a session is in its life. `data-state` on the component carries the same names. */
export const LivenessStatus = {
  idle: 'idle',
  creating: 'creating',
  ready: 'ready',
  error: 'error',
} as const;
export type LivenessStatus = (typeof LivenessStatus)[keyof typeof LivenessStatus];

/** The state, as one discriminated union shared by the hook and the component. */
export type LivenessState =
  | { status: 'idle' }
  | { status: 'creating' }
  | { status: 'ready'; session: SessionData }
  | { status: 'error'; error: LivenessError };

/** Callbacks, each called once per transition (also under StrictMode). */
export interface LivenessCallbacks {
  /** A session was created and its link validated. Do not log `session.h5Link`: it is a secret. */
  onSessionCreated?: (session: SessionData) => void;
  /** Creating the session failed for good (after automatic retries). */
  onError?: (error: LivenessError) => void;
  /** Every change of state. */
  onStateChange?: (state: LivenessState) => void;
}

/** Options of {@link useVisualValidateSession}. */
export interface UseVisualValidateSessionOptions extends SessionRequestOptions, LivenessCallbacks {
  /** Create the session as soon as the hook mounts; with `false`, call `start()`. @default true */
  enabled?: boolean;
  /** Share a session with a prefetch made by {@link visualValidateSessionOptions} under the same key. */
  sessionKey?: string;
}

export interface UseVisualValidateSessionResult {
  state: LivenessState;
  status: LivenessStatus;
  /** The session, once `ready`. */
  session: SessionData | undefined;
  /** The error, once `error`. */
  error: LivenessError | undefined;
  /** Starts creating a session when idle (with `enabled: false`, or after `reset()`). */
  start: () => void;
  /** Drops the current session or error and creates exactly one new session. */
  retry: () => void;
  /** Cancels everything and returns to `idle`. */
  reset: () => void;
}

let instanceCounter = 0;
function newInstanceKey(): string {
  instanceCounter += 1;
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c?.randomUUID ? c.randomUUID() : `instance-${instanceCounter}-${Date.now().toString(36)}`;
}

type RunMode = 'auto' | 'started' | 'stopped';

/**
 * Creates one verification session through the app's backend and tracks it. Exactly one request per
 * mounted consumer, also under `<React.StrictMode>`; `retry()` creates exactly one more. Uses the
 * app's `QueryClientProvider` when there is one (or `queryClient`), a private client otherwise.
 */
export function useVisualValidateSession(
  options: UseVisualValidateSessionOptions,
  queryClient?: QueryClient,
): UseVisualValidateSessionResult {
  const contextClient = useContext(QueryClientContext);
  const [privateClient] = useState(() => (queryClient || contextClient ? undefined : new QueryClient()));
  const client = queryClient ?? contextClient ?? privateClient!;

  const [instanceKey] = useState(() => options.sessionKey ?? newInstanceKey());
  const [attempt, setAttempt] = useState(0);
  const [runMode, setRunMode] = useState<RunMode>('auto');
  const active = runMode === 'started' || (runMode === 'auto' && options.enabled !== false);

  // One controller per attempt; replaced on retry/reset, aborted on real unmount.
  const controllerRef = useRef<AbortController | null>(null);
  const controllerAttemptRef = useRef(-1);
  if (controllerAttemptRef.current !== attempt) {
    controllerRef.current?.abort();
    controllerRef.current = new AbortController();
    controllerAttemptRef.current = attempt;
  }

  const query = useQuery(
    {
      ...visualValidateSessionOptions({ ...options, sessionKey: instanceKey, attempt, signal: controllerRef.current!.signal }),
      enabled: active,
    },
    client,
  );

  // StrictMode unmounts and remounts synchronously; a real unmount is one that is still true a
  // microtask later. Only then abort the request and forget the session (rule 3 of DESIGN.md).
  const mountedRef = useRef(false);
  useEffect(() => {
    mountedRef.current = true;
    if (privateClient) privateClient.mount();
    return () => {
      mountedRef.current = false;
      queueMicrotask(() => {
        if (mountedRef.current) return;
        controllerRef.current?.abort();
        client.removeQueries({ queryKey: [...livenessQueryKey, 'session', instanceKey] });
        if (privateClient) privateClient.unmount();
      });
    };
  }, [client, instanceKey, privateClient]);

  const state = useMemo<LivenessState>(() => {
    if (!active) return { status: 'idle' };
    if (query.status === 'success') return { status: 'ready', session: query.data };
    if (query.status === 'error') {
      const error = isLivenessError(query.error)
        ? query.error
        : new LivenessError(LivenessErrorCode.invalidResponse, 'The session could not be created.', { cause: query.error });
      return { status: 'error', error };
    }
    return query.fetchStatus === 'idle' && !active ? { status: 'idle' } : { status: 'creating' };
  }, [active, query.status, query.data, query.error, query.fetchStatus]);

  // Callbacks fire from effects, deduplicated by a ref that survives StrictMode's remount.
  const callbacksRef = useRef<LivenessCallbacks>(options);
  callbacksRef.current = options;
  const reportedRef = useRef<LivenessState | null>(null);
  useEffect(() => {
    const previous = reportedRef.current;
    if (previous === state) return;
    const same =
      previous !== null &&
      previous.status === state.status &&
      (previous.status !== 'ready' || (state.status === 'ready' && previous.session === state.session)) &&
      (previous.status !== 'error' || (state.status === 'error' && previous.error === state.error));
    reportedRef.current = state;
    if (same) return;
    const callbacks = callbacksRef.current;
    callbacks.onStateChange?.(state);
    if (state.status === 'ready') callbacks.onSessionCreated?.(state.session);
    if (state.status === 'error') callbacks.onError?.(state.error);
  }, [state]);

  const forgetAttempt = useCallback(
    (which: number) => {
      controllerRef.current?.abort();
      client.removeQueries({ queryKey: [...livenessQueryKey, 'session', instanceKey, which], exact: true });
    },
    [client, instanceKey],
  );

  const start = useCallback(() => setRunMode((mode) => (mode === 'started' ? mode : 'started')), []);
  const retry = useCallback(() => {
    forgetAttempt(attempt);
    setAttempt(attempt + 1);
    setRunMode('started');
  }, [attempt, forgetAttempt]);
  const reset = useCallback(() => {
    forgetAttempt(attempt);
    setAttempt(attempt + 1);
    setRunMode('stopped');
  }, [attempt, forgetAttempt]);

  return {
    state,
    status: state.status,
    session: state.status === 'ready' ? state.session : undefined,
    error: state.status === 'error' ? state.error : undefined,
    start,
    retry,
    reset,
  };
}
