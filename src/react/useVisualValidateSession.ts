import { QueryClient, QueryClientContext, useQuery } from '@tanstack/react-query';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { isLivenessError, LivenessError, LivenessErrorCode } from '../core/LivenessError.js';
import type { SessionData } from '../core/parseSessionResponse.js';
import { forgetSession, readResumeHint, rememberSession } from './resumeStore.js';
import { sessionStatusOptions } from './sessionStatusOptions.js';
import { livenessQueryKey, visualValidateSessionOptions, type SessionRequestOptions } from './visualValidateSessionOptions.js';

/** Where a session is in its life. `data-state` on the component carries the same names. */
export const LivenessStatus = {
  idle: 'idle',
  creating: 'creating',
  ready: 'ready',
  verified: 'verified',
  failed: 'failed',
  expired: 'expired',
  error: 'error',
} as const;
export type LivenessStatus = (typeof LivenessStatus)[keyof typeof LivenessStatus];

/**
 * The state, as one discriminated union shared by the hook and the component. Final states carry
 * the session id but not the link: once decided, the link is useless and stays out of app state.
 */
export type LivenessState =
  | { status: 'idle' }
  | { status: 'creating' }
  | { status: 'ready'; session: SessionData }
  | { status: 'verified'; sessionId: string; groupId: string; resultCode?: string }
  | { status: 'failed'; sessionId: string; resultCode?: string }
  | { status: 'expired'; sessionId?: string }
  | { status: 'error'; error: LivenessError };

/** Callbacks, each called once per session and transition (also under StrictMode). */
export interface LivenessCallbacks {
  /** A session was created and its link validated. Do not log `session.h5Link`: it is a secret. */
  onSessionCreated?: (session: SessionData) => void;
  /** The backend confirmed the check; `groupId` is the LivenessFace asset group. Confirm it on your server. */
  onVerified?: (result: { sessionId: string; groupId: string; resultCode?: string }) => void;
  /** The check failed; a new session is needed for another attempt. */
  onFailed?: (result: { sessionId: string; resultCode?: string }) => void;
  /** The link expired and automatic refreshes are used up. */
  onExpired?: (result: { sessionId?: string }) => void;
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
  /**
   * Status URL for backends whose create answer has no `statusUrl`: a string with `:id`, or a function
   * of the session id. @default the answer's `statusUrl`; without either, the hook does not poll
   */
  statusEndpoint?: string | ((sessionId: string) => string);
  /** Time between status requests while visible; doubles on errors up to 30 s. @default 2000 */
  pollIntervalMs?: number;
  /** New sessions created on their own when a link expires unused, in a row; 0 turns it off. @default 3 */
  maxAutoRefresh?: number;
  /**
   * Pick the session up again after a same-tab round trip (the page URL has `?livenessSessionId=`
   * naming the session this tab created) instead of creating a new one. @default true
   */
  resume?: boolean;
}

export interface UseVisualValidateSessionResult {
  state: LivenessState;
  status: LivenessStatus;
  /** The session, while `ready`. */
  session: SessionData | undefined;
  /** The error, once `error`. */
  error: LivenessError | undefined;
  /** How many times in a row the link was replaced because it expired (resets on `retry()`). */
  autoRefreshCount: number;
  /**
   * The page URL named a session this tab did not create (the check was done in another tab or on
   * another device, which then sent the phone to the return URL). The hook stays `idle` instead of
   * creating a session; `start()` creates one.
   */
  finishedElsewhere: boolean;
  /** Starts creating a session when idle (with `enabled: false`, or after `reset()`). */
  start: () => void;
  /** Drops the current session, error or outcome and creates exactly one new session. */
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

function statusUrlFor(session: SessionData, statusEndpoint: UseVisualValidateSessionOptions['statusEndpoint']): string | undefined {
  if (session.statusUrl) return session.statusUrl;
  if (typeof statusEndpoint === 'function') return statusEndpoint(session.sessionId);
  if (typeof statusEndpoint === 'string') return statusEndpoint.replace(':id', encodeURIComponent(session.sessionId));
  return undefined;
}

/**
 * Creates one verification session through the app's backend, then waits for its outcome. Exactly one
 * create request per mounted consumer, also under `<React.StrictMode>`; `retry()` creates exactly one
 * more. Uses the app's `QueryClientProvider` when there is one (or `queryClient`), a private one otherwise.
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
  const [autoRefreshCount, setAutoRefreshCount] = useState(0);
  // The attempt whose link ran out with no refresh left; `expired` until the next attempt. Its session
  // id is kept here because the attempt's cache entry (which holds the link) is dropped.
  const [expiredAttempt, setExpiredAttempt] = useState<{ attempt: number; sessionId: string | undefined }>({ attempt: -1, sessionId: undefined });
  // With `?livenessSessionId=` in the URL, whether to resume is decided after mount, so the server and
  // the first client render agree (rule 5); no session is created before that. Without it (the usual
  // case, and always on the server) there is nothing to decide: both render `creating`, and the session
  // is created in the first effects instead of after an extra commit.
  const [resumeChecked, setResumeChecked] = useState(() => options.resume === false || readResumeHint() === undefined);
  const [resumeTarget, setResumeTarget] = useState<{ sessionId: string; statusUrl: string } | undefined>(undefined);
  const [finishedElsewhere, setFinishedElsewhere] = useState(false);
  useEffect(() => {
    if (resumeChecked) return;
    const hint = readResumeHint();
    if (hint?.kind === 'own') setResumeTarget({ sessionId: hint.sessionId, statusUrl: hint.statusUrl });
    else if (hint?.kind === 'foreign') {
      // The person came back from a check that belongs to another tab or device (a redirect to the
      // return URL). Creating a session here would waste one upstream session: wait for `start()`.
      setFinishedElsewhere(true);
      setRunMode((mode) => (mode === 'auto' ? 'stopped' : mode));
    }
    setResumeChecked(true);
  }, [resumeChecked]);
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
      // The hook removes its entries itself (unmount, retry, refresh). react-query re-arms the
      // garbage-collection timer of a removed entry when its cancelled request settles; with the
      // factory's two minutes that timer would outlive the component. (A prefetch keeps its own.)
      gcTime: 0,
      enabled: active && resumeChecked && !resumeTarget,
    },
    client,
  );
  const session = query.status === 'success' && expiredAttempt.attempt !== attempt ? query.data : undefined;

  const statusUrl = resumeTarget ? resumeTarget.statusUrl : session ? statusUrlFor(session, options.statusEndpoint) : undefined;
  const statusQuery = useQuery(
    {
      ...sessionStatusOptions({
        instanceKey,
        attempt,
        statusUrl: statusUrl ?? '',
        endpoint: options.endpoint,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs,
      }),
      enabled: active && statusUrl !== undefined,
    },
    client,
  );
  const outcome = statusUrl !== undefined ? statusQuery.data : undefined;

  // A resumed session that is gone, expired or unreadable is dropped for a fresh one.
  useEffect(() => {
    if (!resumeTarget) return;
    if (statusQuery.status === 'error' || outcome?.status === 'expired') {
      forgetSession();
      setResumeTarget(undefined);
    }
  }, [resumeTarget, statusQuery.status, outcome?.status]);

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
        client.removeQueries({ queryKey: [...livenessQueryKey, 'status', instanceKey] });
        if (privateClient) privateClient.unmount();
      });
    };
  }, [client, instanceKey, privateClient]);

  const maxAutoRefresh = options.maxAutoRefresh ?? 3;
  const forgetAttempt = useCallback(
    (which: number) => {
      controllerRef.current?.abort();
      client.removeQueries({ queryKey: [...livenessQueryKey, 'session', instanceKey, which], exact: true });
      client.removeQueries({ queryKey: [...livenessQueryKey, 'status', instanceKey, which] });
    },
    [client, instanceKey],
  );

  // The link ran out (by the clock, or the backend says so): replace it, or stop at `expired`.
  const expire = useCallback(() => {
    if (autoRefreshCount < maxAutoRefresh) {
      forgetAttempt(attempt);
      setAutoRefreshCount(autoRefreshCount + 1);
      setAttempt(attempt + 1);
    } else {
      forgetAttempt(attempt);
      setExpiredAttempt({ attempt, sessionId: session?.sessionId });
    }
  }, [attempt, autoRefreshCount, maxAutoRefresh, forgetAttempt, session?.sessionId]);
  const expireRef = useRef(expire);
  expireRef.current = expire;

  const pending = session !== undefined && (outcome === undefined || outcome.status === 'pending');
  const refetchStatusRef = useRef<(() => Promise<{ data?: { status: string } | undefined }>) | undefined>(undefined);
  refetchStatusRef.current = statusUrl !== undefined && !resumeTarget ? statusQuery.refetch : undefined;
  useEffect(() => {
    if (!pending || !session?.expiresAt) return;
    // setTimeout fires at once for delays past 2^31-1 ms; far-off expiries simply wait that long.
    const delay = Math.min(Math.max(0, Date.parse(session.expiresAt) - Date.now()), 2_147_483_647);
    let cancelled = false;
    let onVisible: (() => void) | undefined;
    // The person may have finished since the last poll (or while this tab was hidden and not polling):
    // ask once more, and replace the session only if it is still pending (a failed request counts as
    // pending). Throwing away a verification would lock the person out.
    const replaceUnlessSettled = () => {
      const check = refetchStatusRef.current;
      if (!check) {
        expireRef.current();
        return;
      }
      void check().then((result) => {
        if (!cancelled && (result.data?.status ?? 'pending') === 'pending') expireRef.current();
      });
    };
    const timer = setTimeout(() => {
      // Nobody is looking: a fresh link now would only expire unseen, spending an upstream session
      // (and a refresh) each time. Replace it when the page is shown again.
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
        onVisible = () => {
          if (document.visibilityState === 'hidden') return;
          document.removeEventListener('visibilitychange', onVisible!);
          onVisible = undefined;
          replaceUnlessSettled();
        };
        document.addEventListener('visibilitychange', onVisible);
      } else {
        // Also while visible: the person may have finished in the up-to-2 s since the last poll.
        replaceUnlessSettled();
      }
    }, delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      if (onVisible) document.removeEventListener('visibilitychange', onVisible);
    };
  }, [pending, session?.expiresAt, attempt]);
  useEffect(() => {
    if (session && outcome?.status === 'expired') expireRef.current();
  }, [session, outcome?.status]);

  // Remember the id (never the link) for a same-tab round trip; forget it once decided.
  useEffect(() => {
    if (session && statusUrl && options.resume !== false) rememberSession(session.sessionId, statusUrl);
  }, [session, statusUrl, options.resume]);

  const sessionId = resumeTarget?.sessionId ?? session?.sessionId;
  const state = useMemo<LivenessState>(() => {
    if (!active) return { status: 'idle' };
    if (expiredAttempt.attempt === attempt) {
      return expiredAttempt.sessionId ? { status: 'expired', sessionId: expiredAttempt.sessionId } : { status: 'expired' };
    }
    if (sessionId && outcome?.status === 'verified' && outcome.groupId) {
      return { status: 'verified', sessionId, groupId: outcome.groupId, ...(outcome.resultCode ? { resultCode: outcome.resultCode } : {}) };
    }
    if (sessionId && outcome?.status === 'failed') {
      return { status: 'failed', sessionId, ...(outcome.resultCode ? { resultCode: outcome.resultCode } : {}) };
    }
    if (resumeTarget) return { status: 'creating' };
    if (query.status === 'success') return { status: 'ready', session: query.data };
    if (query.status === 'error') {
      const error = isLivenessError(query.error)
        ? query.error
        : new LivenessError(LivenessErrorCode.invalidResponse, 'The session could not be created.', { cause: query.error });
      return { status: 'error', error };
    }
    return { status: 'creating' };
  }, [active, expiredAttempt, attempt, sessionId, outcome, resumeTarget, query.status, query.data, query.error]);

  const final = state.status === 'verified' || state.status === 'failed' || state.status === 'expired';
  useEffect(() => {
    if (final) forgetSession();
  }, [final]);

  // Callbacks fire from effects, deduplicated by a ref that survives StrictMode's remount.
  const callbacksRef = useRef<LivenessCallbacks>(options);
  callbacksRef.current = options;
  const reportedRef = useRef<string | null>(null);
  const reportedErrorRef = useRef<LivenessError | null>(null);
  useEffect(() => {
    const identity =
      state.status === 'ready'
        ? `ready:${state.session.sessionId}`
        : state.status === 'verified' || state.status === 'failed' || state.status === 'expired'
          ? `${state.status}:${state.sessionId ?? attempt}`
          : state.status === 'error'
            ? `error:${attempt}`
            : `${state.status}:${attempt}`;
    if (reportedRef.current === identity && (state.status !== 'error' || reportedErrorRef.current === state.error)) return;
    reportedRef.current = identity;
    if (state.status === 'error') reportedErrorRef.current = state.error;
    const callbacks = callbacksRef.current;
    callbacks.onStateChange?.(state);
    if (state.status === 'ready') callbacks.onSessionCreated?.(state.session);
    else if (state.status === 'verified') {
      callbacks.onVerified?.({ sessionId: state.sessionId, groupId: state.groupId, ...(state.resultCode ? { resultCode: state.resultCode } : {}) });
    } else if (state.status === 'failed') callbacks.onFailed?.({ sessionId: state.sessionId, ...(state.resultCode ? { resultCode: state.resultCode } : {}) });
    else if (state.status === 'expired') callbacks.onExpired?.(state.sessionId ? { sessionId: state.sessionId } : {});
    else if (state.status === 'error') callbacks.onError?.(state.error);
  }, [state, attempt]);

  const start = useCallback(() => {
    setFinishedElsewhere(false);
    setRunMode((mode) => (mode === 'started' ? mode : 'started'));
  }, []);
  const retry = useCallback(() => {
    forgetAttempt(attempt);
    forgetSession();
    setResumeTarget(undefined);
    setFinishedElsewhere(false);
    setAutoRefreshCount(0);
    setAttempt(attempt + 1);
    setRunMode('started');
  }, [attempt, forgetAttempt]);
  const reset = useCallback(() => {
    forgetAttempt(attempt);
    forgetSession();
    setResumeTarget(undefined);
    setAutoRefreshCount(0);
    setAttempt(attempt + 1);
    setRunMode('stopped');
  }, [attempt, forgetAttempt]);

  return {
    state,
    status: state.status,
    session: state.status === 'ready' ? state.session : undefined,
    error: state.status === 'error' ? state.error : undefined,
    autoRefreshCount,
    finishedElsewhere,
    start,
    retry,
    reset,
  };
}
