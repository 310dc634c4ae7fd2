import type { FailureReason } from '../core/protocol.js';

/** The callback's `resultCode` of a passed check. */
export const SUCCESS_RESULT_CODE = '10000';

/**
 * Why a failure callback failed, from its `resultCode`. The ranges come from Volcengine's documentation
 * of the same H5 page family (inferred, not confirmed for BytePlus): 40001–40011 are device problems
 * (no WebRTC, camera refused or missing, connection errors), 41000–41009 liveness failures. Anything
 * else is `unknown`: a person is never told their face failed on a guess.
 */
export function failureReasonOf(resultCode: string | undefined): FailureReason {
  const code = resultCode !== undefined && /^\d{5}$/.test(resultCode) ? Number(resultCode) : NaN;
  if (code >= 40001 && code <= 40011) return 'device';
  if (code >= 41000 && code <= 41009) return 'liveness';
  return 'unknown';
}
