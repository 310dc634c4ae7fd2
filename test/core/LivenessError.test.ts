import { describe, expect, it } from 'vitest';
import { isLivenessError, LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';

describe('LivenessError', () => {
  it('carries code, status, retryAfterMs, serverCode and cause', () => {
    const cause = new Error('inner');
    const error = new LivenessError(LivenessErrorCode.http, 'm', { status: 429, retryAfterMs: 7000, serverCode: 'rate_limited', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LivenessError', code: 'http', status: 429, retryAfterMs: 7000, serverCode: 'rate_limited', message: 'm' });
    expect(error.cause).toBe(cause);
  });

  it('has no property for a detail it was not given (nor one that was undefined)', () => {
    const error = new LivenessError(LivenessErrorCode.http, 'm', { status: 503, retryAfterMs: undefined });
    expect(Object.keys(error)).toEqual(['name', 'code', 'status']);
    expect(Object.keys(new LivenessError(LivenessErrorCode.network, 'm'))).toEqual(['name', 'code']);
    expect('cause' in new LivenessError(LivenessErrorCode.network, 'm', { cause: undefined })).toBe(false);
  });

  it('isLivenessError recognises copies from another bundle and rejects look-alikes', () => {
    expect(isLivenessError(new LivenessError('network', 'x'))).toBe(true);
    expect(isLivenessError({ name: 'LivenessError', code: 'network' })).toBe(true);
    expect(isLivenessError({ name: 'LivenessError' })).toBe(false);
    expect(isLivenessError(new Error('x'))).toBe(false);
    expect(isLivenessError(null)).toBe(false);
  });
});
