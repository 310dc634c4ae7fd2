import { describe, expect, it } from 'vitest';
import { LivenessError } from '../../src/core/LivenessError';
import { defaultDisplayTextEn as en } from '../../src/react/text/displayText';
import { errorMessage } from '../../src/react/text/errorMessage';

describe('errorMessage', () => {
  const cases: Array<[LivenessError, string]> = [
    [new LivenessError('network', 'x'), en.networkError],
    [new LivenessError('timeout', 'x'), en.timeoutError],
    [new LivenessError('invalid_response', 'x'), en.invalidResponseError],
    [new LivenessError('invalid_link', 'x'), en.invalidLinkError],
    [new LivenessError('aborted', 'x'), en.abortedError],
    [new LivenessError('http', 'x', { status: 429 }), en.rateLimitedError],
    [new LivenessError('http', 'x', { status: 503 }), en.rateLimitedError],
    [new LivenessError('http', 'x', { status: 401 }), en.unauthorizedError],
    [new LivenessError('http', 'x', { status: 403 }), en.unauthorizedError],
    [new LivenessError('http', 'x', { status: 500 }), en.serverError],
    [new LivenessError('http', 'x', { status: 404 }), en.serverError],
  ];
  it.each(cases)('%s → its own sentence, never the error message', (error, text) => {
    expect(errorMessage(error, en)).toBe(text);
  });
});
