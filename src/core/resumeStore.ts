// Same-tab round trip on a phone: the H5 page replaces this page, the server's callback redirects
// back to the return URL with `?livenessSessionId=…`. To pick the session up again, the tab keeps its
// id and status URL (neither is a secret) in sessionStorage, never the link (rule 3). One entry per
// session, naming the `sessionKey` of the component that created it, so components never clash.

const PREFIX = 'react-liveness-session:';
/** The query parameter the `/server` callback appends to the return URL. */
export const RESUME_PARAM = 'livenessSessionId';

// Sessions a component on this page already picked up: a second component must not adopt the same one.
const claimed = new Set<string>();

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined; // Blocked storage (privacy modes) throws on access.
  }
}

export function rememberSession(sessionId: string, statusUrl: string, owner: string | undefined): void {
  try {
    storage()?.setItem(PREFIX + sessionId, JSON.stringify({ statusUrl, owner }));
  } catch {
    // Quota or privacy mode: resuming is a convenience, not a requirement.
  }
}

export function forgetSession(sessionId: string): void {
  claimed.delete(sessionId);
  try {
    storage()?.removeItem(PREFIX + sessionId);
  } catch {
    // As above.
  }
}

function resumeParam(): string | null {
  try {
    return typeof location === 'undefined' ? null : new URLSearchParams(location.search).get(RESUME_PARAM);
  } catch {
    return null;
  }
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
  let entry: { statusUrl?: unknown; owner?: unknown } | null = null;
  try {
    entry = JSON.parse(storage()?.getItem(PREFIX + sessionId) ?? 'null');
  } catch {
    // A corrupt entry is not ours.
  }
  if (typeof entry?.statusUrl !== 'string') return 'foreign';
  if (entry.owner !== owner || claimed.has(sessionId)) return undefined;
  claimed.add(sessionId);
  return { sessionId, statusUrl: entry.statusUrl };
}

/** Takes `livenessSessionId` out of the address (keeping the other parameters and the hash as they are), so a reload is a fresh visit. */
export function dropResumeParam(): void {
  try {
    const search = location.search.slice(1);
    const query = search.split('&').filter((part) => part.split('=')[0] !== RESUME_PARAM).join('&');
    if (query !== search) history.replaceState(history.state, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  } catch {
    // No history (not a browser page): nothing to clean.
  }
}
