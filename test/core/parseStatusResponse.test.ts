import { describe, expect, it } from 'vitest';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { parseStatusResponse } from '../../src/core/wire/parseStatusResponse';

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
    expect(parseStatusResponse({ sessionId: 's', status: 'verified', groupId: 'g-1', resultCode: '10000', expiresAt: '2030-01-01T00:00:00Z' })).toEqual({
      status: 'verified',
      groupId: 'g-1',
      resultCode: '10000',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
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

  it('reads openedAt and checkingSince (also snake_case) as ISO 8601 instants', () => {
    expect(parseStatusResponse({ status: 'pending', openedAt: '2026-01-01T00:00:05Z', checkingSince: '2026-01-01T00:01:00.000Z' })).toEqual({
      status: 'pending',
      openedAt: '2026-01-01T00:00:05.000Z',
      checkingSince: '2026-01-01T00:01:00.000Z',
    });
    expect(parseStatusResponse({ data: { status: 'pending', opened_at: '2026-01-01T00:00:05Z', checking_since: '2026-01-01T00:01:00Z' } })).toMatchObject({
      openedAt: '2026-01-01T00:00:05.000Z',
      checkingSince: '2026-01-01T00:01:00.000Z',
    });
    for (const bad of ['garbage', '', 5, null, 'x'.repeat(65), {}]) {
      expect(parseStatusResponse({ status: 'pending', openedAt: bad, checkingSince: bad })).toEqual({ status: 'pending' });
    }
  });

  it('keeps a known reason with failed only; never invents one (the lifecycle maps resultCode)', () => {
    expect(parseStatusResponse({ status: 'failed', reason: 'device' })).toEqual({ status: 'failed', reason: 'device' });
    expect(parseStatusResponse({ status: 'failed', reason: 'toString' })).toEqual({ status: 'failed' });
    expect(parseStatusResponse({ status: 'pending', reason: 'device' })).toEqual({ status: 'pending' });
  });

  it('drops oversized or malformed optional fields instead of trusting them', () => {
    expect(parseStatusResponse({ status: 'failed', resultCode: 'x'.repeat(65), expiresAt: 'garbage' })).toEqual({ status: 'failed' });
  });
});
