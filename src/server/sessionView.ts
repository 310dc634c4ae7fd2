import type { SessionStatusResponse } from '../core/protocol.js';
import type { StoredSession } from './sessionStore.js';

// A claim older than this belongs to a process that died mid-check; stop calling it pending.
const STALE_CLAIM_GRACE_MS = 5_000;

/** The status a browser may see. `checking` is internal and reads as `pending` while it can still finish. */
export function publicStatus(session: StoredSession, now: number, upstreamTimeoutMs: number): SessionStatusResponse['status'] {
  switch (session.status) {
    case 'verified':
    case 'failed':
      return session.status;
    case 'checking': {
      const claimDeadline = (session.claimedAt ?? now) + 2 * upstreamTimeoutMs + STALE_CLAIM_GRACE_MS;
      return now < Math.max(session.expiresAt, claimDeadline) ? 'pending' : 'expired';
    }
    default:
      return now < session.expiresAt ? 'pending' : 'expired';
  }
}

/** The `GET {statusUrl}` body: never the link, never the token. */
export function sessionStatusBody(session: StoredSession, now: number, upstreamTimeoutMs: number): SessionStatusResponse {
  const body: SessionStatusResponse = {
    sessionId: session.id,
    status: publicStatus(session, now, upstreamTimeoutMs),
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
  if (session.status === 'verified' && session.groupId) body.groupId = session.groupId;
  if ((session.status === 'verified' || session.status === 'failed') && session.resultCode) {
    body.resultCode = session.resultCode;
  }
  return body;
}
