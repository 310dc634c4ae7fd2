import { describe, expect, it } from 'vitest';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { parseStatusResponse } from '../../src/core/parseStatusResponse';

function invalid(json: unknown) {
  let caught: unknown;
  try {
    parseStatusResponse(json);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LivenessError);
  expect((caught as LivenessError).code).toBe(LivenessErrorCode.invalidResponse);
}

describe('parseStatusResponse', () => {
  it('reads the library’s own status answer', () => {
    expect(
      parseStatusResponse({ sessionId: 's', status: 'verified', groupId: 'g-1', resultCode: '10000', expiresAt: '2030-01-01T00:00:00Z' }),
    ).toEqual({ status: 'verified', groupId: 'g-1', resultCode: '10000', expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(parseStatusResponse({ sessionId: 's', status: 'pending' })).toEqual({ status: 'pending' });
  });

  it('reads the snake_case data wrapper and gateway aliases', () => {
    expect(parseStatusResponse({ success: true, data: { status: 'active', group_id: 'g', result_code: 10000 } })).toEqual({
      status: 'verified',
      groupId: 'g',
      resultCode: '10000',
    });
    expect(parseStatusResponse({ data: { status: 'awaiting_auth' } }).status).toBe('pending');
    expect(parseStatusResponse({ status: 'REJECTED' }).status).toBe('failed');
    expect(parseStatusResponse({ status: 'expired' }).status).toBe('expired');
  });

  it('never reports verified without a group id', () => {
    invalid({ status: 'verified' });
    invalid({ status: 'success', groupId: '' });
  });

  it.each([null, [], 'verified', 1, {}, { status: 'done' }, { status: 7 }, { data: null }, { data: { status: 'nope' } }])('rejects %j', (json) => {
    invalid(json);
  });

  it('drops oversized or malformed optional fields instead of trusting them', () => {
    expect(parseStatusResponse({ status: 'failed', resultCode: 'x'.repeat(65), expiresAt: 'garbage' })).toEqual({ status: 'failed' });
  });
});
