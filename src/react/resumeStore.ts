// Same-tab round trip on a phone: the H5 page replaces this page, the server's callback redirects
// back to the return URL with `?livenessSessionId=…`. To pick the session up again, this tab keeps
// the id and its status URL (neither is a secret) in sessionStorage. Never the link (rule 3).

const STORAGE_KEY = 'react-liveness-session';
/** The query parameter the `/server` callback appends to the return URL. */
export const RESUME_PARAM = 'livenessSessionId';

interface Remembered {
  sessionId: string;
  statusUrl: string;
}

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined; // Blocked storage (privacy modes) throws on access.
  }
}

export function rememberSession(sessionId: string, statusUrl: string): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify({ sessionId, statusUrl } satisfies Remembered));
  } catch {
    // Quota or privacy mode: resuming is a convenience, not a requirement.
  }
}

export function forgetSession(): void {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // As above.
  }
}

/** What the page URL says about a session to pick up again. */
export type ResumeHint =
  | { kind: 'own'; sessionId: string; statusUrl: string }
  /** The URL names a session this tab did not create (finished in another tab or on another device). */
  | { kind: 'foreign' };

/**
 * The session named by `?livenessSessionId=`. It is `own` only when this tab created it (its id is in
 * sessionStorage): a link someone sends cannot make this tab adopt, and report as verified, a session
 * it did not create.
 */
export function readResumeHint(): ResumeHint | undefined {
  if (typeof location === 'undefined') return undefined;
  let id: string | null;
  try {
    id = new URL(location.href).searchParams.get(RESUME_PARAM);
  } catch {
    return undefined;
  }
  if (!id) return undefined;
  try {
    const raw = storage()?.getItem(STORAGE_KEY);
    const value = raw ? (JSON.parse(raw) as Partial<Remembered>) : undefined;
    if (value?.sessionId === id && typeof value.statusUrl === 'string') return { kind: 'own', sessionId: id, statusUrl: value.statusUrl };
  } catch {
    // Corrupt entry: treat as not ours.
  }
  return { kind: 'foreign' };
}
