/** The callback's `resultCode` of a passed check. */
export const SUCCESS_RESULT_CODE = '10000';

// One mapping from result codes to reasons for both halves: the browser applies it when a backend sends
// only a `resultCode`.
export { failureReasonOf } from '../../core/failureReason.js';
