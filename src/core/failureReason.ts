import type { FailureReason } from './wire/protocol.js';

/**
 * Why a failed check failed, from the callback's `resultCode`: the one mapping, used by the server for
 * its status answers and by the browser when a backend sends a `resultCode` without a `reason`. The
 * ranges come from Volcengine's documentation of the same H5 page family (inferred, not confirmed for
 * BytePlus): 40001–40011 are device problems (no WebRTC, camera refused or missing, connection errors),
 * 41000–41009 liveness failures. Anything else is `unknown`: a person is never told their face failed on
 * a guess. (`unconfirmed` is the server's own judgement, never a result code's.)
 */
export function failureReasonOf(resultCode: string | undefined): FailureReason {
  const code = resultCode !== undefined && /^\d{5}$/.test(resultCode) ? Number(resultCode) : NaN;
  return code >= 40001 && code <= 40011 ? 'device' : code >= 41000 && code <= 41009 ? 'liveness' : 'unknown';
}
