// Same-tab round trip on a phone: the H5 page replaces this page, the server's callback redirects
// back to the return URL with `?livenessSessionId=…`. To pick the session up again, the tab keeps its
// id and status URL (neither is a secret) in sessionStorage, never the link (rule 3). One entry per
// session, naming the `sessionKey` of the component that created it, so components never clash.
// A tab reloaded while its session is pending (Firefox reloads the page on Back) gets the same session
// back by repeating the create's `Idempotency-Key`, kept in the entry too: the server answers a repeated
// key with the same session, and only to the same client (its keys are scoped by `clientKey`).

export const PREFIX = 'react-liveness-session:';
/** The query parameter the `/server` callback appends to the return URL. */
export const RESUME_PARAM = 'livenessSessionId';

// Sessions a component on this page already picked up: a second component must not adopt the same one.
export const claimed = new Set<string>();
// Sessions this load of the page created: only an earlier load's are "pending after a reload" (a
// component remounted on this page, e.g. by a new `key`, starts afresh).
export const createdHere = new Set<string>();

/** Storage and history can be missing (not a browser) or throw (privacy modes, quota): resuming is a convenience. */
export function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

export interface Entry {
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

/** The session id the page URL names, if any. */
export const resumeParam = () => safely(() => new URLSearchParams(location.search).get(RESUME_PARAM)) ?? undefined;

/** This page's URL without `livenessSessionId`: where its own tab should come back to after the check. */
export const pageUrl = (): string | undefined =>
  safely(() => {
    const url = new URL(location.href);
    url.searchParams.delete(RESUME_PARAM);
    return url.href;
  });

/**
 * Whether this tab holds an entry an earlier load of the page left (a reload may pick its session up).
 * Cheap; the code that reads entries (resumeEntries.ts) loads only when there is one.
 */
export const hasEntries = (): boolean =>
  safely(() => {
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const name = sessionStorage.key(i);
      if (name?.startsWith(PREFIX) && !createdHere.has(name.slice(PREFIX.length))) return true;
    }
    return false;
  }) === true;
