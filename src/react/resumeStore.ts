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

/**
 * The session this tab created before navigating away, if the current URL names it. Both must
 * agree: a link someone sends cannot make this tab adopt a session it did not create.
 */
export function sessionToResume(): Remembered | undefined {
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
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<Remembered>;
    if (value.sessionId === id && typeof value.statusUrl === 'string') return { sessionId: id, statusUrl: value.statusUrl };
  } catch {
    // Corrupt entry: ignore it.
  }
  return undefined;
}
