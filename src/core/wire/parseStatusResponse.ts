import { defined } from '../defined.js';
import { isObject } from '../isObject.js';
import { livenessError, LivenessErrorCode } from '../LivenessError.js';
import type { FailureReason, SessionStatus } from './protocol.js';

/** A session's outcome as the backend reports it, normalised. */
export interface SessionStatusData {
  status: SessionStatus;
  /** The LivenessFace asset group, when `verified`. */
  groupId?: string;
  /** The upstream result code, when decided. */
  resultCode?: string;
  /** Why, when `failed` and the backend says. */
  reason?: FailureReason;
  /** ISO 8601 expiry, when the backend said. */
  expiresAt?: string;
  /** ISO 8601: a phone opened the QR code's short link (the person has the check in hand). */
  openedAt?: string;
  /** ISO 8601: the phone reported a passed check and the backend is confirming the result (status `pending`). */
  checkingSince?: string;
}

// Other gateways name the same states differently (UPSTREAM.md).
const STATUS_ALIASES: Record<string, SessionStatus> = {
  pending: 'pending',
  awaiting_auth: 'pending',
  created: 'pending',
  processing: 'pending',
  checking: 'pending',
  verified: 'verified',
  active: 'verified',
  success: 'verified',
  failed: 'failed',
  rejected: 'failed',
  expired: 'expired',
};

const REASONS: FailureReason[] = ['device', 'liveness', 'unconfirmed', 'unknown'];

function shortString(value: unknown, max = 256): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/** An instant as ISO 8601 (UTC), or `undefined` when the value is not one. */
function instant(value: unknown): string | undefined {
  const ms = Date.parse(shortString(value, 64) ?? '');
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Normalises a status answer (`{ status, groupId?, resultCode?, reason?, expiresAt?, openedAt?,
 * checkingSince? }`, also wrapped in `data` with snake_case names). Unknown shapes or statuses throw `LivenessError('invalid_response')`.
 */
export function parseStatusResponse(json: unknown): SessionStatusData {
  const body = isObject(json) && isObject(json.data) && !('status' in json) ? json.data : json;
  if (!isObject(body)) throw livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The status response is not a JSON object.');
  const raw = typeof body.status === 'string' ? body.status.toLowerCase() : undefined;
  const status = raw === undefined ? undefined : STATUS_ALIASES[raw];
  if (!status) throw livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The status response has an unknown status.');
  const resultCode = body.resultCode ?? body.result_code;
  const result = defined<SessionStatusData>({
    status,
    groupId: shortString(body.groupId ?? body.group_id),
    resultCode: typeof resultCode === 'number' && Number.isFinite(resultCode) ? String(resultCode) : shortString(resultCode, 64),
    reason: status === 'failed' && REASONS.includes(body.reason as FailureReason) ? (body.reason as FailureReason) : undefined,
    expiresAt: instant(body.expiresAt ?? body.expires_at),
    openedAt: instant(body.openedAt ?? body.opened_at),
    checkingSince: instant(body.checkingSince ?? body.checking_since),
  });
  // `verified` without a group is not a verification the app can use.
  if (status === 'verified' && !result.groupId) {
    throw livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The status response says verified but has no group id.');
  }
  return result;
}
