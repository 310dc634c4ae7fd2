import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followAsset, parseAssetStatus } from '../../../src/core/assets/followAsset.js';
import { urlOf } from '../../fetchInput.js';

function statusFetch(answers: (() => Response)[]) {
  const calls: string[] = [];
  const fetch = vi.fn(async (input: string | URL | Request) => {
    calls.push(urlOf(input));
    return (answers.length > 1 ? answers.shift()! : answers[0]!)();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}
const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('followAsset', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const follow = (fetch: typeof globalThis.fetch, onStatus = vi.fn(), onGone = vi.fn()) => ({
    stop: followAsset({ statusUrl: 'https://app.example.test/api/liveness/assets/a1', eventsUrl: undefined, headers: {}, credentials: 'same-origin', fetch, intervalMs: 2000, onStatus, onGone }),
    onStatus,
    onGone,
  });

  it('reads every interval until the asset is decided, then stops', async () => {
    const { fetch, calls } = statusFetch([json({ assetId: 'a1', status: 'processing' }), json({ assetId: 'a1', status: 'failed', reason: 'face_mismatch' })]);
    const { onStatus } = follow(fetch);
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(onStatus).toHaveBeenLastCalledWith({ assetId: 'a1', status: 'failed', reason: 'face_mismatch' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('asks nothing while the tab is hidden, and once at once when it is shown', async () => {
    const { fetch, calls } = statusFetch([json({ assetId: 'a1', status: 'processing' })]);
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const { stop } = follow(fetch);
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(0);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    stop();
  });

  it('backs off on errors (honouring Retry-After), and a 404 stops it with onGone', async () => {
    const { fetch, calls } = statusFetch([json({ error: { code: 'x', message: 'x' } }, 503), json({ error: { code: 'not_found', message: 'x' } }, 404)]);
    const { onGone } = follow(fetch);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(onGone).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('parses only status answers; an unknown reason reads unknown', () => {
    expect(parseAssetStatus({ assetId: 'a', status: 'failed', reason: '<script>' })).toEqual({ assetId: 'a', status: 'failed', reason: 'unknown' });
    expect(parseAssetStatus({ assetId: 'a', status: 'verified' })).toBeUndefined();
    expect(parseAssetStatus('active')).toBeUndefined();
  });
});
