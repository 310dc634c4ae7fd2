// Same-tab round trip on a phone: the H5 page replaces this page, the server's callback redirects
// back to the return URL with `?livenessSessionId=…`. To pick the session up again, the tab keeps its
// id and status URL (neither is a secret) in sessionStorage, never the link (rule 3). One entry per
// session, naming the `sessionKey` of the component that created it, so components never clash.
// A tab reloaded while its session is pending (Firefox reloads the page on Back) gets the same session
// back by repeating the create's `Idempotency-Key`, kept in the entry too: the server answers a repeated
// key with the same session, and only to the same client (its keys are scoped by `clientKey`).

const PREFIX = 'react-liveness-session:';
/** The query parameter the `/server` callback appends to the return URL. */
export const RESUME_PARAM = 'livenessSessionId';

// Sessions a component on this page already picked up: a second component must not adopt the same one.
const claimed = new Set<string>();
// Sessions this load of the page created: only an earlier load's are "pending after a reload" (a
// component remounted on this page, e.g. by a new `key`, starts afresh).
const createdHere = new Set<string>();

/** Storage and history can be missing (not a browser) or throw (privacy modes, quota): resuming is a convenience. */
function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

interface Entry {
  statusUrl?: unknown;
  owner?: string;
  /** The `Idempotency-Key` of the create that made the session. */
  key?: unknown;
  /** The person tapped the link in this tab (and may come back without finishing). */
  opened?: boolean;
  /** When the entry was written (this browser's clock): the newest pending session wins. */
  at?: number;
}

export function rememberSession(sessionId: string, statusUrl: string, owner: string | undefined, key?: string, opened = false): void {
  createdHere.add(sessionId);
  safely(() => sessionStorage.setItem(PREFIX + sessionId, JSON.stringify({ statusUrl, owner, key, opened, at: Date.now() } satisfies Entry)));
}

export function forgetSession(sessionId: string): void {
  claimed.delete(sessionId);
  safely(() => sessionStorage.removeItem(PREFIX + sessionId));
}

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

/** The session id the page URL names, if any. */
export const resumeParam = () => safely(() => new URLSearchParams(location.search).get(RESUME_PARAM)) ?? undefined;

/** This page's URL without `livenessSessionId`: where its own tab should come back to after the check. */
export const pageUrl = (): string | undefined =>
  safely(() => {
    const url = new URL(location.href);
    url.searchParams.delete(RESUME_PARAM);
    return url.href;
  });

/** Takes `livenessSessionId` out of the address (the other parameters and the hash stay as they are), so a reload is a fresh visit. */
export const dropResumeParam = () =>
  safely(() => {
    const search = location.search.slice(1);
    const query = search.split('&').filter((part) => part.split('=')[0] !== RESUME_PARAM).join('&');
    if (query !== search) history.replaceState(history.state, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  });
