import type { FailureReason, SessionStatusResponse } from '../core/wire/protocol.js';
import { failureReasonOf } from './result/failureReason.js';
import { FINAL_CHECK_WINDOW_MS } from './limits.js';
import type { ScheduleSettings } from './result/resultSchedule.js';
import type { StoredSession } from './store/sessionStore.js';

export interface PublicView {
  status: SessionStatusResponse['status'];
  reason?: FailureReason;
}

/**
 * The status a browser may see, computed from the stored session and the time, so that every instance
 * (and `getSession`) tells the same story even when nobody has written the last step yet:
 * - `checking` reads `pending` while its result window is open or a result call is in flight, then
 *   `failed` with reason `unconfirmed`; once the GroupId is in, while the app's `onVerified` may still
 *   be retried (`persistWindowMs`), then likewise;
 * - `cancelled` reads `expired` at once;
 * - `pending` reads `pending` until the link expires, and a little longer while the last check for a
 *   lost callback is due (the link was opened or watched), then `expired`.
 */
export type ViewSettings = Pick<ScheduleSettings, 'resultWindowMs' | 'persistWindowMs'>;

export function publicView(session: StoredSession, now: number, settings: ViewSettings): PublicView {
  const leaseActive = Boolean(session.lease && session.lease.until > now);
  switch (session.status) {
    case 'verified':
      return { status: 'verified' };
    case 'failed':
      return { status: 'failed', reason: session.reason ?? failureReasonOf(session.resultCode) };
    case 'cancelled':
      return { status: 'expired' };
    case 'checking': {
      const windowEnd =
        session.groupId !== undefined
          ? (session.verifiedAt ?? session.checkingSince ?? session.createdAt) + (settings.persistWindowMs ?? 0)
          : (session.checkingSince ?? session.createdAt) + settings.resultWindowMs;
      return now < windowEnd || leaseActive ? { status: 'pending' } : { status: 'failed', reason: 'unconfirmed' };
    }
    default: {
      if (now < session.expiresAt) return { status: 'pending' };
      const lastCheckDue = (session.openedAt !== undefined || session.watchedAt !== undefined) && !session.finalCheckDone;
      return (lastCheckDue && now < session.expiresAt + FINAL_CHECK_WINDOW_MS) || leaseActive ? { status: 'pending' } : { status: 'expired' };
    }
  }
}

/**
 * The `GET {statusUrl}` body (and each event of the events route): never the link, the token, the QR
 * URL or the subject, and the GroupId only once `verified`.
 */
export function sessionStatusBody(session: StoredSession, now: number, settings: ViewSettings): SessionStatusResponse {
  const view = publicView(session, now, settings);
  const body: SessionStatusResponse = {
    sessionId: session.id,
    status: view.status,
    expiresAt: new Date(session.expiresAt).toISOString(),
    expiresInMs: Math.max(0, Math.round(session.expiresAt - now)),
  };
  if (view.status === 'verified' && session.groupId) body.groupId = session.groupId;
  if ((view.status === 'verified' || view.status === 'failed') && session.resultCode) body.resultCode = session.resultCode;
  if (view.reason) body.reason = view.reason;
  if (session.openedAt !== undefined) body.openedAt = new Date(session.openedAt).toISOString();
  if (view.status === 'pending' && session.status === 'checking' && session.checkingSince !== undefined) {
    body.checkingSince = new Date(session.checkingSince).toISOString();
  }
  return body;
}
