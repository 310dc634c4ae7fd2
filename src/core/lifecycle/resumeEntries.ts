import { resolveEndpoint, type Endpoint } from '../wire/endpoint.js';
import { parseStatusResponse } from '../wire/parseStatusResponse.js';
import { claimed, createdHere, PREFIX, RESUME_PARAM, resumeParam, safely, type Entry } from './resumeStore.js';
import type { SessionEvent } from './sessionLifecycle.js';
import { isLivenessError } from '../LivenessError.js';
import { isRetryableError } from './sessionQuery.js';

/** How long a picked-up session's status is retried through errors: the server's result window. */
const RESUME_WINDOW_MS = 10 * 60_000;

/** What the controller gives the code that picks a session up. */
export interface PickUpHost {
  options: { sessionKey?: string | undefined; endpoint: Endpoint; statusEndpoint?: string | ((sessionId: string) => string) | undefined };
  /** No session asked for since mount (no retry, no reset): only then is one picked up. */
  fresh: boolean;
  dispatch: (event: SessionEvent) => void;
  /** A status request. */
  read: (url: string) => Promise<unknown>;
}

/**
 * Decides on mount: the session the page URL names is picked up (this tab created it for this
 * component), or its outcome read once and shown (another tab or device created it); else a pending
 * session of an earlier load of this tab is returned, for the next create to repeat its key.
 */
export function pickUp({ options, fresh, dispatch, read }: PickUpHost): ReturnType<typeof findPending> {
  const found = fresh ? findResume(options.sessionKey) : undefined;
  if (found === 'foreign') {
    dispatch({ type: 'foreignFound' });
    // Read once and shown, never adopted (no state, no callback, no group id kept).
    void readElsewhere(resumeParam()!, options.endpoint, options.statusEndpoint, read).then((outcome) => outcome && dispatch({ type: 'elsewhereRead', outcome }));
  } else if (found) dispatch({ type: 'resumeFound', watched: { ...found, resumeUntil: Date.now() + RESUME_WINDOW_MS } });
  else if (fresh) return findPending(options.sessionKey);
  return undefined;
}

// Picking a session up again: after a same-tab round trip (the page URL names it) or a reload (this
// tab's entry). Loaded lazily by the controller, only when the URL names a session or the tab holds an
// entry (resumeStore.ts): a first visit never downloads it. See resumeStore.ts for the entries.

/**
 * What the page URL says for the component with `owner` (its `sessionKey`, if the app gave one):
 * `undefined` when it names no session, or a session of this tab that another component created;
 * the session to pick up when this tab created it for this component; `'foreign'` when this tab did
 * not create it. A link someone sends can never make a tab adopt, and report as verified, a session
 * it did not create.
 */
export function findResume(owner: string | undefined): { sessionId: string; statusUrl: string } | 'foreign' | undefined {
  const sessionId = resumeParam();
  if (!sessionId) return undefined;
  const entry = safely(() => JSON.parse(sessionStorage.getItem(PREFIX + sessionId)!) as Entry);
  if (typeof entry?.statusUrl !== 'string') return 'foreign';
  if (entry.owner !== owner || claimed.has(sessionId)) return undefined;
  claimed.add(sessionId);
  return { sessionId, statusUrl: entry.statusUrl };
}

/** A pending session of this tab and this component, left by an earlier load of the page: the newest one. */
export function findPending(owner: string | undefined): { sessionId: string; key: string; opened: boolean } | undefined {
  return safely(() => {
    let found: { sessionId: string; key: string; opened: boolean; at: number } | undefined;
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const name = sessionStorage.key(i);
      if (!name?.startsWith(PREFIX)) continue;
      const sessionId = name.slice(PREFIX.length);
      const entry = JSON.parse(sessionStorage.getItem(name)!) as Entry;
      if (entry.owner !== owner || typeof entry.key !== 'string' || claimed.has(sessionId) || createdHere.has(sessionId)) continue;
      const at = entry.at ?? 0;
      if (!found || at > found.at) found = { sessionId, key: entry.key, opened: entry.opened === true, at };
    }
    if (!found) return undefined;
    claimed.add(found.sessionId);
    return { sessionId: found.sessionId, key: found.key, opened: found.opened };
  });
}

/**
 * Whether the backend answered the create that repeated a pending session's key and refused it (4xx, not
 * 408 or 429: another body, say): repeating the key cannot bring that session back, so its entry goes.
 * Any other failure keeps the entry: an answer cut off is what a page gets when the person reloads while
 * it arrives (Firefox), and the next load then gets the session back.
 */
export const refusesKey = (error: unknown): boolean => isLivenessError(error) && error.code === 'http' && !isRetryableError(error) && error.status !== 408;

/**
 * The outcome of a session this tab did not create, read once from its status URL (the library's
 * server serves it under the create route: `{endpoint}/{id}`): `verified` or `failed`, else undefined.
 */
export function readElsewhere(
  sessionId: string,
  endpoint: Endpoint,
  statusEndpoint: string | ((sessionId: string) => string) | undefined,
  read: (url: string) => Promise<unknown>,
): Promise<'verified' | 'failed' | undefined> {
  const encoded = encodeURIComponent(sessionId);
  const url = typeof statusEndpoint === 'function' ? statusEndpoint(sessionId) : statusEndpoint ? statusEndpoint.replace(':id', encoded) : `${resolveEndpoint(endpoint).url}/${encoded}`;
  return read(url)
    .then((json) => {
      const { status } = parseStatusResponse(json);
      return status === 'verified' || status === 'failed' ? status : undefined;
    })
    .catch(() => undefined);
}

/** Takes `livenessSessionId` out of the address (the other parameters and the hash stay as they are), so a reload is a fresh visit. */
export const dropResumeParam = () =>
  safely(() => {
    const search = location.search.slice(1);
    const query = search
      .split('&')
      .filter((part) => part.split('=')[0] !== RESUME_PARAM)
      .join('&');
    if (query !== search) history.replaceState(history.state, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  });
