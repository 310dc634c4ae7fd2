// Same-tab round trip on a phone: the H5 page replaces this page, the server's callback redirects
// back to the return URL with `?livenessSessionId=…`. To pick the session up again, the tab keeps its
// id and status URL (neither is a secret) in sessionStorage, never the link (rule 3). One entry per
// session, naming the `sessionKey` of the component that created it, so components never clash.

const PREFIX = 'react-liveness-session:';
/** The query parameter the `/server` callback appends to the return URL. */
export const RESUME_PARAM = 'livenessSessionId';

// Sessions a component on this page already picked up: a second component must not adopt the same one.
const claimed = new Set<string>();

/** Storage and history can be missing (not a browser) or throw (privacy modes, quota): resuming is a convenience. */
function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

export const rememberSession = (sessionId: string, statusUrl: string, owner: string | undefined) =>
  safely(() => sessionStorage.setItem(PREFIX + sessionId, JSON.stringify({ statusUrl, owner })));

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
  const sessionId = safely(() => new URLSearchParams(location.search).get(RESUME_PARAM));
  if (!sessionId) return undefined;
  const entry = safely(() => JSON.parse(sessionStorage.getItem(PREFIX + sessionId)!) as { statusUrl?: unknown; owner?: string });
  if (typeof entry?.statusUrl !== 'string') return 'foreign';
  if (entry.owner !== owner || claimed.has(sessionId)) return undefined;
  claimed.add(sessionId);
  return { sessionId, statusUrl: entry.statusUrl };
}

/** Takes `livenessSessionId` out of the address (the other parameters and the hash stay as they are), so a reload is a fresh visit. */
export const dropResumeParam = () =>
  safely(() => {
    const search = location.search.slice(1);
    const query = search.split('&').filter((part) => part.split('=')[0] !== RESUME_PARAM).join('&');
    if (query !== search) history.replaceState(history.state, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  });
