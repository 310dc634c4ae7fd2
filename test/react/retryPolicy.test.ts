import { describe, expect, it } from 'vitest';
import { LivenessError } from '../../src/core/LivenessError';
import { isRetryableError, retryDelay } from '../../src/react/visualValidateSessionOptions';

describe('retry policy helpers', () => {
  it('retries network, timeout, 429 and 5xx only', () => {
    expect(isRetryableError(new LivenessError('network', 'x'))).toBe(true);
    expect(isRetryableError(new LivenessError('timeout', 'x'))).toBe(true);
    expect(isRetryableError(new LivenessError('http', 'x', { status: 429 }))).toBe(true);
    expect(isRetryableError(new LivenessError('http', 'x', { status: 500 }))).toBe(true);
    expect(isRetryableError(new LivenessError('http', 'x', { status: 503 }))).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422]) expect(isRetryableError(new LivenessError('http', 'x', { status }))).toBe(false);
    // An http error without a status (a copy of the class from elsewhere, an app's own): not retried.
    expect(isRetryableError(new LivenessError('http', 'x'))).toBe(false);
    expect(isRetryableError(new LivenessError('invalid_link', 'x'))).toBe(false);
    expect(isRetryableError(new LivenessError('invalid_response', 'x'))).toBe(false);
    expect(isRetryableError(new LivenessError('aborted', 'x'))).toBe(false);
    expect(isRetryableError(new Error('x'))).toBe(false);
  });

  it('backs off 1 s, 2 s, 4 s … capped at 10 s, and waits at least Retry-After (capped at 60 s)', () => {
    const plain = new LivenessError('network', 'x');
    // react-query passes 0 before the first retry.
    expect([0, 1, 2, 3, 4, 10].map((n) => retryDelay(n, plain))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelay(0, new LivenessError('http', 'x', { status: 429, retryAfterMs: 7000 }))).toBe(7000);
    expect(retryDelay(3, new LivenessError('http', 'x', { status: 429, retryAfterMs: 100 }))).toBe(8000);
    expect(retryDelay(0, new LivenessError('http', 'x', { status: 503, retryAfterMs: 3_600_000 }))).toBe(60_000);
  });
});
