import { LivenessErrorCode, type LivenessError } from '../../core/LivenessError.js';
import type { LivenessDisplayText } from './displayText.js';

/** The sentence a person sees for an error: chosen by code, never taken from the server. */
export function errorMessage(error: LivenessError, text: LivenessDisplayText): string {
  switch (error.code) {
    case LivenessErrorCode.network:
      return text.networkError;
    case LivenessErrorCode.timeout:
      return text.timeoutError;
    case LivenessErrorCode.invalidResponse:
      return text.invalidResponseError;
    case LivenessErrorCode.invalidLink:
      return text.invalidLinkError;
    case LivenessErrorCode.aborted:
      return text.abortedError;
    case LivenessErrorCode.http:
      if (error.status === 429 || error.status === 503) return text.rateLimitedError;
      if (error.status === 401 || error.status === 403) return text.unauthorizedError;
      return text.serverError;
    default:
      return text.serverError;
  }
}
