import { errorResponse, retryAfterHeader } from './jsonResponse.js';
import { STORE_RETRY_AFTER_MS } from '../limits.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import type { LivenessStoreError } from '../store/storeError.js';

/**
 * The answer of a route whose store call failed: 503 `store_unavailable` with `Retry-After` (the store
 * may answer again in a moment; nothing was changed that the retry would not find), or 500
 * `store_misconfigured` (its setup must change). Neither says more than the code: the store's own
 * error may carry a key, an address or a password.
 */
export function storeFailureResponse(error: LivenessStoreError): Response {
  if (error.code === ServerErrorCode.storeMisconfigured) {
    return errorResponse(500, ServerErrorCode.storeMisconfigured, 'The server cannot keep verifications right now. Try again later.');
  }
  return errorResponse(503, ServerErrorCode.storeUnavailable, 'The server is briefly unable to keep verifications. Try again shortly.', retryAfterHeader(STORE_RETRY_AFTER_MS));
}
