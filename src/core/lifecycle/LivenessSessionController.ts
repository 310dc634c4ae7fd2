import type { QueryClient } from '@tanstack/react-query';
import { resolveEndpoint } from '../wire/endpoint.js';
import { fetchJson, type FetchJsonInit } from '../wire/fetchJson.js';
import { asLivenessError } from '../LivenessError.js';
import type { LivenessCallbacks, LivenessSessionSnapshot, LivenessState } from './livenessState.js';
import type { SessionData } from '../wire/parseSessionResponse.js';
import { OWNER_KEY_HEADER, type SendLinkRequest } from '../wire/protocol.js';
import { randomId } from '../randomId.js';
import { whenIdle } from '../whenIdle.js';
import { forgetSession, hasEntries, rememberSession, resumeParam } from './resumeStore.js';
import { ServerClock } from './ServerClock.js';
import type { WatchHost } from './watchSession.js';
import { initialLifecycle, transition, type Lifecycle, type SessionEvent, type WatchedSession } from './sessionLifecycle.js';
import { livenessQueryKey, sessionQuery, sessionQueryKey, type CreateSessionOptions } from './sessionQuery.js';
import { lazySource, type StatusSource, type StatusSourceFactory } from './statusSource.js';

type ResumeEntries = typeof import('./resumeEntries.js');
/**
 * The code that picks a session up (resumeEntries.ts), asked for again a second later when it fails to
 * load. Firefox fails a page's pending loads as soon as the next navigation starts (a reload), while the
 * page runs on until the next one arrives: taken at once as "not loaded", that page would create a second
 * session, whose entry then outranks the one the person tapped. A second later such a page is gone; a page
 * that stays (offline, a deploy replaced the chunk) then creates a session, a second late.
 */
const loadResume = (): Promise<ResumeEntries> => import('./resumeEntries.js').catch(() => new Promise((again) => setTimeout(again, 1e3)).then(() => import('./resumeEntries.js')));
/** The code that watches a session for its outcome (watchSession.ts), loaded with the first create. */
const loadWatch = () => import('./watchSession.js');

/** Options of a session; `useVisualValidateSession` takes the same (with a display locale). */
export interface LivenessSessionOptions extends CreateSessionOptions, LivenessCallbacks {
  /** Create the session as soon as it mounts; with `false`, call `start()`. @default true */
  enabled?: boolean;
  /**
   * Names the session: shares one prefetched with `visualValidateSessionOptions` under the same key, and
   * marks its same-tab round trip as this component's (give each component its own when a page has
   * several). @default a private key per mounted component
   */
  sessionKey?: string;
  /**
   * Status URL for backends whose create answer has no `statusUrl`: a string with `:id`, or a function
   * of the session id. @default the answer's `statusUrl`; without either, nothing is polled
   */
  statusEndpoint?: string | ((sessionId: string) => string);
  /** Time between status requests while visible; doubles on errors up to 30 s. @default 2000 */
  pollIntervalMs?: number;
  /**
   * How the outcome reaches the page. `auto`: pushed over the backend's event stream (Server-Sent
   * Events) when its create answer has `eventsUrl` and the browser has `EventSource`, with a status
   * request at most every 30 s while the stream is up and polling at `pollIntervalMs` while it is down;
   * polling otherwise, and when the endpoint sends custom headers (`EventSource` cannot). `poll`: always
   * poll. A tab that is hidden or offline asks nothing either way. `<LivenessSession>` polls in link
   * mode (the page is hidden while the person is on the check). @default 'auto'
   */
  transport?: 'auto' | 'poll';
  /** New sessions created on their own when a link expires unused, in a row; 0 turns it off. @default 3 */
  maxAutoRefresh?: number;
  /**
   * Pick the session up again after a same-tab round trip (the page URL has `?livenessSessionId=`
   * naming the session this component created) instead of creating a new one. @default true
   */
  resume?: boolean;
}

const STATUS_TIMEOUT_MS = 15_000;
// setTimeout fires at once for delays past 2^31-1 ms; far-off expiries simply wait that long.
const MAX_DELAY_MS = 2_147_483_647;
// `visibilitychange` bubbles from the document to the window, where the network and history events fire.
const PAGE_EVENTS = ['visibilitychange', 'online', 'offline', 'pagehide', 'pageshow'];

/** The callback for each state beside `onStateChange`, and what it gets: the session, the error, or the rest of the state. */
const CALLBACKS = { ready: 'onSessionCreated', verified: 'onVerified', failed: 'onFailed', expired: 'onExpired', error: 'onError' } as const;

/**
 * One verification session from creation to outcome, without React (like react-query's
 * `QueryObserver`). It owns everything with a lifetime: the attempt, its request and cache entry, the
 * expiry timer on the server's clock, the status source, page visibility and network listeners, the
 * resume entry, and the callbacks (once per transition). The rules themselves are `transition`'s.
 *
 * The first `subscribe` mounts it; when the last subscriber leaves it is destroyed a microtask later,
 * unless one subscribed again meanwhile (StrictMode's simulated unmount). Mounting after a destroy
 * starts afresh. Creating one has no side effects.
 */
export class LivenessSessionController {
  readonly #client: QueryClient;
  readonly #ownsClient: boolean;
  readonly #key: string;
  readonly #clock = new ServerClock();
  readonly #listeners = new Set<() => void>();
  readonly #createSource: StatusSourceFactory | undefined;
  #options: LivenessSessionOptions;
  #life: Lifecycle;
  #snapshot: LivenessSessionSnapshot;
  readonly #serverSnapshot: LivenessSessionSnapshot;
  #mounted = false;
  #online = true;
  /** The page sits in the back/forward cache (`pagehide` with `persisted`): nobody sees it. */
  #cached = false;
  /** A pending session an earlier load of this tab left (a reload): the next create repeats its key. */
  #pending: ReturnType<ResumeEntries['findPending']>;
  /** The code that picks sessions up (loaded only when the URL names one or the tab holds an entry). */
  #resumeEntries: ResumeEntries | undefined;
  /** While it loads, the create waits: this mount's token. */
  #holding: object | undefined;

  /** The `Idempotency-Key` of the create that made the session on screen: kept in the resume entry. */
  #createKey: string | undefined;
  /** The attempt whose create request and cache entry exist. */
  #queryAttempt: number | undefined;
  #abort: AbortController | undefined;
  #watched: WatchedSession | undefined;
  #source: StatusSource | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param client the app's `QueryClient` (create requests run through it, so a prefetch is shared)
   * @param ownsClient mount and unmount `client` with the controller (a private client)
   * @param createSource how every session's status is learned; by default per session, from `transport`
   */
  constructor(options: LivenessSessionOptions, client: QueryClient, ownsClient = false, createSource?: StatusSourceFactory) {
    this.#options = options;
    this.#client = client;
    this.#ownsClient = ownsClient;
    this.#createSource = createSource;
    this.#key = options.sessionKey ?? randomId();
    let life = initialLifecycle(options.enabled !== false, options.maxAutoRefresh);
    // A session prefetched under this key shows from the first render, on the server and in the browser.
    const cached = options.sessionKey && life.state.status === 'creating' ? client.getQueryData<SessionData>(sessionQueryKey(this.#key, 0)) : undefined;
    if (cached) {
      life = transition(life, { type: 'created', attempt: 0, session: cached, statusUrl: this.#statusUrl(cached) });
      this.#queryAttempt = 0;
    }
    this.#life = life;
    this.#snapshot = this.#serverSnapshot = this.#snap();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    this.#mount();
    return () => {
      this.#listeners.delete(listener);
      queueMicrotask(() => {
        if (!this.#listeners.size) this.destroy();
      });
    };
  };

  getSnapshot = (): LivenessSessionSnapshot => this.#snapshot;

  /** The snapshot the server renders and the browser hydrates with: what was known at construction. */
  getServerSnapshot = (): LivenessSessionSnapshot => this.#serverSnapshot;

  start = (): void => this.#dispatch({ type: 'start' });
  retry = (): void => {
    const { state, watched } = this.#life;
    // The session still waits for its outcome: end it on the backend, so its link dies with it (a person
    // who says "not me" must not be verified by whoever holds the phone). Best-effort, never awaited:
    // a backend without the route, or an error, must not hold up the new session.
    if (watched && (state.status === 'ready' || state.status === 'opened')) {
      // Proof that this page created the session: the create answer's owner key (never the QR code's).
      const key = state.session.ownerKey;
      this.#request(watched.statusUrl, { method: 'DELETE', headers: key ? { [OWNER_KEY_HEADER]: key } : undefined, timeoutMs: STATUS_TIMEOUT_MS }).catch(() => undefined);
    }
    this.#dispatch({ type: 'retry' });
  };
  reset = (): void => this.#dispatch({ type: 'reset' });
  // Its code is a chunk of its own, loaded on the first send: most pages never send.
  sendLink = (request: SendLinkRequest): Promise<void> => import('./sendLinkRequest.js').then((module) => module.sendLink(this.#life.state, request, this.#options));
  markOpened = (): void => this.#dispatch({ type: 'linkOpened', attempt: this.#life.attempt });

  /** The latest options (endpoint, callbacks, …); the current request keeps going, its retries use them. */
  setOptions(options: LivenessSessionOptions): void {
    const wasEnabled = this.#options.enabled !== false;
    this.#options = options;
    this.#dispatch({ type: 'configure', maxAutoRefresh: options.maxAutoRefresh ?? 3 });
    if (this.#mounted && wasEnabled !== (options.enabled !== false)) this.#dispatch({ type: wasEnabled ? 'reset' : 'start' });
  }

  /** Stops everything: request, timers, listeners; forgets the link (cache) and the resume entry. */
  destroy(): void {
    if (!this.#mounted) return;
    this.#mounted = false;
    clearTimeout(this.#timer);
    this.#source?.stop();
    if (this.#watched) forgetSession(this.#watched.sessionId);
    this.#source = this.#watched = this.#queryAttempt = this.#pending = this.#holding = undefined;
    this.#cached = false;
    this.#abort?.abort();
    this.#client.removeQueries({ queryKey: [...livenessQueryKey, 'session', this.#key] });
    for (const type of PAGE_EVENTS) removeEventListener(type, this.#onPage);
    if (this.#ownsClient) this.#client.unmount();
    this.#life = { ...initialLifecycle(this.#options.enabled !== false, this.#life.maxAutoRefresh), attempt: this.#life.attempt + 1 };
    this.#snapshot = this.#snap();
  }

  #mount(): void {
    if (this.#mounted) return;
    this.#mounted = true;
    if (this.#ownsClient) this.#client.mount();
    for (const type of PAGE_EVENTS) addEventListener(type, this.#onPage);
    this.#online = navigator.onLine !== false;
    this.#report(this.#life.state);
    const { state, attempt } = this.#life;
    // Decided after mount, so the server and the first browser render agree (rule 5). Only a page whose
    // URL names a session (a round trip) or whose tab holds an entry (a reload) loads the code that picks
    // a session up; its create waits for it. A first visit creates at once and never downloads it.
    if (!attempt && state.status !== 'ready' && this.#options.resume !== false && (resumeParam() || hasEntries())) {
      const holding = (this.#holding = {});
      loadResume().then(
        (entries) => this.#holding === holding && this.#pickUp(entries),
        // Not loaded, twice (offline, a deploy replaced the chunk): nothing is picked up, a session is created.
        () => this.#holding === holding && this.#pickUp(undefined),
      );
    }
    this.#sync();
    this.#publish();
  }

  /** The session the page URL names, or a pending one of this tab, picked up (or, with neither, a new one created). */
  #pickUp(entries: ResumeEntries | undefined): void {
    this.#holding = undefined;
    this.#resumeEntries = entries;
    this.#pending = entries?.pickUp({
      options: this.#options,
      // Meanwhile the app may have asked for a new session (retry, reset): nothing is picked up then.
      fresh: !this.#life.attempt,
      dispatch: (event) => this.#dispatch(event),
      read: (url) => this.#request(url, { method: 'GET', timeoutMs: STATUS_TIMEOUT_MS }),
    });
    this.#sync();
    this.#publish();
  }

  #dispatch(event: SessionEvent): void {
    this.#step((life) => transition(life, event));
  }

  /** Applies one of the rules (`transition`, or the watch code's `statusTransition`) and acts on the new lifecycle. */
  #step(rule: (life: Lifecycle) => Lifecycle): void {
    const before = this.#life;
    const life = (this.#life = rule(before));
    if (life === before) return;
    this.#sync(before);
    this.#publish();
    if (life.state !== before.state) this.#report(life.state);
  }

  /** Brings requests, the status source, storage and the timer in line with the lifecycle. */
  #sync(before?: Lifecycle): void {
    if (!this.#mounted) return;
    const { state, attempt, watched } = this.#life;
    // A session left behind: cancel its request and drop its cache entry, which holds the link.
    if (this.#queryAttempt !== undefined && (this.#queryAttempt !== attempt || (state.status !== 'creating' && state.status !== 'ready'))) {
      this.#abort?.abort();
      this.#client.removeQueries({ queryKey: sessionQueryKey(this.#key, this.#queryAttempt), exact: true });
      this.#queryAttempt = undefined;
    }
    if (state.status === 'creating' && !watched && this.#queryAttempt === undefined && !this.#holding) this.#create(attempt);
    const old = this.#watched;
    this.#watched = watched;
    if (watched?.sessionId !== old?.sessionId) {
      this.#source?.stop();
      if (old) {
        forgetSession(old.sessionId);
        if (old.resumeUntil) this.#resumeEntries?.dropResumeParam();
      }
      this.#source = watched && this.#watch(watched);
    }
    // The tab's own entry, and whether the person tapped the link here: a reload brings both back.
    const tapped = state.status === 'opened' && !state.openedAt;
    if (watched && !watched.resumeUntil && this.#options.resume !== false && (watched.sessionId !== old?.sessionId || tapped !== (before?.state.status === 'opened' && !before.state.openedAt))) {
      rememberSession(watched.sessionId, watched.statusUrl, this.#options.sessionKey, this.#createKey, tapped);
    }
    if (watched?.due === 'ask' && before?.watched?.due !== 'ask') this.#source?.check();
    this.#arm();
  }

  #create(attempt: number): void {
    const abort = (this.#abort = new AbortController());
    this.#queryAttempt = attempt;
    // After a reload, the key of this tab's pending session: the backend answers with that session
    // again, so the person gets their check back and no second upstream session is made.
    const pending = this.#pending;
    this.#pending = undefined;
    const key = (this.#createKey = pending?.key ?? randomId());
    this.#client
      .fetchQuery({
        ...sessionQuery(this.#key, attempt, () => this.#options, { signal: abort.signal, idempotencyKey: key, clock: this.#clock }),
        // Removed by the controller when the session is left behind or the component unmounts.
        gcTime: Infinity,
      })
      .then(
        (session) => {
          this.#dispatch({ type: 'created', attempt, session, statusUrl: this.#statusUrl(session) });
          if (!pending) return;
          // A backend that does not keep keys made a new session: the old entry names nothing to come back to.
          if (session.sessionId !== pending.sessionId) forgetSession(pending.sessionId);
          else if (pending.opened) this.#dispatch({ type: 'linkOpened', attempt });
        },
        (error: unknown) => {
          if (pending && this.#resumeEntries?.refusesKey(error) && attempt === this.#life.attempt && this.#mounted) {
            // The key is refused (another body, say): the session it named cannot come back. A new one.
            // Any other failure keeps the entry: an answer cut off is what a page gets when the person
            // reloads while it arrives (Firefox), and the next load then gets the session back.
            forgetSession(pending.sessionId);
            this.#client.removeQueries({ queryKey: sessionQueryKey(this.#key, attempt), exact: true });
            return this.#create(attempt);
          }
          this.#dispatch({ type: 'createFailed', attempt, error: asLivenessError(error) });
        },
      );
  }

  #statusUrl(session: SessionData): string | undefined {
    const template = this.#options.statusEndpoint;
    if (session.statusUrl || !template) return session.statusUrl;
    return typeof template === 'function' ? template(session.sessionId) : template.replace(':id', encodeURIComponent(session.sessionId));
  }

  #watch(target: WatchedSession): StatusSource {
    const { attempt, state } = this.#life;
    const clock = this.#clock;
    const host: WatchHost = {
      target,
      attempt,
      options: this.#options,
      eventsUrl: state.status === 'ready' ? state.session.eventsUrl : undefined,
      clock,
      active: this.#active(),
      createSource: this.#createSource,
      request: (signal) => this.#request(target.statusUrl, { method: 'GET', timeoutMs: Math.min(this.#options.timeoutMs || STATUS_TIMEOUT_MS, STATUS_TIMEOUT_MS), signal, clock }),
      step: (rule) => this.#step(rule),
      answered: () => {
        this.#arm();
        this.#publish();
      },
    };
    // The code that watches loads with the first session to watch, once the page is idle: the code or
    // link it shows is painted first (loading a chunk costs the main thread, and an app's bundler may add
    // <link>s for it). If it cannot be loaded, it is tried again when the page comes back or the link's
    // time is up.
    return lazySource<WatchHost>(() =>
      whenIdle()
        .then(loadWatch)
        .then((code) => code.watchSession),
    )(host);
  }

  /** A request to a session's status URL (the poll's GET, Start again's DELETE) with the endpoint's headers and credentials as they are now. */
  #request(url: string, init: Omit<FetchJsonInit, 'credentials' | 'fetch'>): Promise<unknown> {
    const { headers, credentials } = resolveEndpoint(this.#options.endpoint);
    return fetchJson(url, { ...init, headers: { ...headers, ...init.headers }, credentials, fetch: this.#options.fetch });
  }

  /** Arms the expiry timer for the link on screen, on the server's clock; with `now`, acts if it is due. */
  #arm(now?: boolean): void {
    clearTimeout(this.#timer);
    const { state, watched, attempt } = this.#life;
    if (!this.#mounted || state.status !== 'ready' || watched?.due || !state.session.expiresAt) return;
    const left = Date.parse(state.session.expiresAt) - this.#clock.now();
    if (left > 0 || !now) this.#timer = setTimeout(() => this.#arm(true), Math.min(Math.max(left, 0), MAX_DELAY_MS));
    // Nobody is looking (hidden, offline): a new link now would expire unseen, spending a session.
    else if (this.#active()) this.#dispatch({ type: 'linkRanOut', attempt });
  }

  #active(): boolean {
    return this.#online && !this.#cached && document.visibilityState !== 'hidden';
  }

  #onPage = (event: Event): void => {
    if (event.type === 'pagehide' || event.type === 'pageshow') {
      // Only the back/forward cache matters: a page restored from it (WebKit, Firefox and Chromium keep
      // pages there on Back) reads the status at once, as a tab shown again does; the outcome may have
      // come while it was away.
      if (!(event as PageTransitionEvent).persisted) return;
      this.#cached = event.type === 'pagehide';
    } else if (event.type !== 'visibilitychange') this.#online = event.type === 'online';
    this.#arm(true);
    this.#source?.setActive(this.#active());
  };

  #publish(): void {
    const { state, autoRefreshCount, finishedElsewhere, elsewhereOutcome } = this.#life;
    const shown = this.#snapshot;
    if (
      shown.state === state &&
      shown.autoRefreshCount === autoRefreshCount &&
      shown.finishedElsewhere === finishedElsewhere &&
      shown.elsewhereOutcome === elsewhereOutcome &&
      shown.serverTimeOffsetMs === this.#clock.offset
    )
      return;
    this.#snapshot = this.#snap();
    this.#listeners.forEach((listener) => listener());
  }

  #snap(): LivenessSessionSnapshot {
    const { state, autoRefreshCount, finishedElsewhere, elsewhereOutcome } = this.#life;
    return {
      state,
      status: state.status,
      session: 'session' in state ? state.session : undefined,
      error: state.status === 'error' ? state.error : undefined,
      autoRefreshCount,
      finishedElsewhere,
      elsewhereOutcome,
      serverTimeOffsetMs: this.#clock.offset,
      start: this.start,
      retry: this.retry,
      reset: this.reset,
      markOpened: this.markOpened,
      sendLink: this.sendLink,
    };
  }

  /** The app's callbacks for a new state, from the latest options the app committed. */
  #report(state: LivenessState): void {
    const { status, ...result } = state as LivenessState & { session?: unknown; error?: unknown };
    this.#options.onStateChange?.(state);
    (this.#options[CALLBACKS[status as keyof typeof CALLBACKS]] as ((value: unknown) => void) | undefined)?.(result.session ?? result.error ?? result);
  }
}
