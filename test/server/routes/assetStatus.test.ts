// @vitest-environment node
// Issue 26: GET {basePath}/assets/:id (and its event stream). The upstream decides asynchronously; its
// ListAssets is asked once per group per interval, whoever waits, and onAssetActive is owed once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_FACE_MISMATCH_MARKER } from '../../../src/testing.js';
import { ALICE, MALLORY, assetSetup, assetStatus, readStatus, upload } from '../assets/assetHelpers.js';
import { BASE, fakeClock, request, settle } from '../helpers.js';
import { sseReader } from '../sseReader.js';
import * as files from '../../media/mediaFiles.js';

/** Every status event of a stream until the server ends it (`giveUpMs`: a failure bound). */
async function readEvents(response: Response, giveUpMs: number): Promise<unknown[]> {
  const reader = sseReader(response);
  const events: unknown[] = [];
  const timer = setTimeout(() => void response.body?.cancel().catch(() => undefined), giveUpMs);
  try {
    for (let event = await reader.nextStatus(); event; event = await reader.nextStatus()) events.push(event);
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** A setup on a fake clock (handler and mock alike), without timers: only requests move assets on. */
function clocked(assets: Parameters<typeof assetSetup>[1] = {}, mockOptions: Parameters<typeof assetSetup>[2] = {}) {
  const clock = fakeClock();
  const s = assetSetup({ clock: clock.now, backgroundTimers: false }, { listIntervalMs: 2000, ...assets }, { clock: clock.now, assetActivationMs: 5000, ...mockOptions });
  return { ...s, clock };
}

describe('GET /assets/:id', () => {
  it('processing while the upstream checks, then active; the answer never carries the group, the name or the subject', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.png(600, 800));
    expect(await readStatus(s, assetId)).toEqual({ assetId, status: 'processing', type: 'image' });
    s.clock.advance(5000);
    const response = await assetStatus(s, assetId);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ assetId, status: 'active', type: 'image' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    for (const secret of [s.groups.get(ALICE)!, s.mock.assets.get(assetId)!.name, ALICE]) expect(text).not.toContain(secret);
  });

  it('a photo of someone else: failed with reason face_mismatch (ListAssets’ Error.Code FaceMismatch); GetAsset is never asked', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.samplePhoto({ outcome: 'faceMismatch' }));
    s.clock.advance(5000);
    expect(await readStatus(s, assetId)).toEqual({ assetId, status: 'failed', reason: 'face_mismatch', type: 'image' });
    expect(s.mock.stats.getAsset).toBe(0);
    expect(s.active).toEqual([]);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'asset.failed', assetId, reason: 'face_mismatch' }));
  });

  it('a file the upstream cannot use: failed with reason invalid_media', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.samplePhoto({ outcome: 'invalidMedia' }));
    s.clock.advance(5000);
    expect((await readStatus(s, assetId)).reason).toBe('invalid_media');
  });

  it('an asset still processing after processingTimeoutMs: failed with reason unknown', async () => {
    const s = clocked({ processingTimeoutMs: 60_000 }, { assetActivationMs: 3_600_000 });
    const { assetId } = await upload(s, files.png(600, 800));
    s.clock.advance(61_000);
    expect(await readStatus(s, assetId)).toMatchObject({ status: 'failed', reason: 'unknown' });
  });

  it('another subject’s asset reads exactly like an unknown one (404); so does a request without a subject or a malformed id', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.png(600, 800));
    const mallory = await assetStatus(s, assetId, MALLORY);
    const unknown = await assetStatus(s, 'asset-20260702120000-zzzzz', MALLORY);
    expect(mallory.status).toBe(404);
    expect(await mallory.text()).toBe(await unknown.text());
    expect((await assetStatus(s, assetId, null)).status).toBe(404);
    expect((await assetStatus(s, '..%2F..%2Fetc')).status).toBe(404);
    const stream = await s.handler(request(`${BASE}/assets/${assetId}/events`, { headers: { 'X-Test-User': MALLORY } }));
    expect(stream.status).toBe(404);
  });

  it('HEAD answers the status’ headers without a body', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.png(600, 800));
    const head = await s.handler(request(`${BASE}/assets/${assetId}`, { method: 'HEAD', headers: { 'X-Test-User': ALICE } }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('one ListAssets per group per interval, whoever waits', () => {
  it('40 reads of 5 assets of one group at once: one ListAssets; again after listIntervalMs: one more', async () => {
    const s = clocked();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await upload(s, files.png(600, 800))).assetId);
    s.clock.advance(2000);
    await Promise.all(Array.from({ length: 40 }, (_, i) => readStatus(s, ids[i % 5]!)));
    expect(s.mock.stats.listAssets).toBe(1);
    await Promise.all(Array.from({ length: 40 }, (_, i) => readStatus(s, ids[i % 5]!)));
    expect(s.mock.stats.listAssets).toBe(1);
    s.clock.advance(2000);
    await Promise.all(Array.from({ length: 40 }, (_, i) => readStatus(s, ids[i % 5]!)));
    expect(s.mock.stats.listAssets).toBe(2);
  });

  it('two groups: one call each', async () => {
    const s = clocked();
    const alice = await upload(s, files.png(600, 800));
    const mallory = await upload(s, files.png(600, 800), { user: MALLORY });
    s.clock.advance(2000);
    await Promise.all([readStatus(s, alice.assetId), readStatus(s, mallory.assetId, MALLORY), readStatus(s, alice.assetId)]);
    expect(s.mock.stats.listAssets).toBe(2);
  });

  it('without a slot of the ListAssets budget, reads answer from the last listing at once, with no call and no wait', async () => {
    const s = clocked({ listRateLimit: { requests: 1, perMs: 60_000 } });
    const first = await upload(s, files.png(600, 800));
    const second = await upload(s, files.png(600, 800), { user: MALLORY });
    s.clock.advance(2000);
    await readStatus(s, first.assetId);
    expect(await readStatus(s, second.assetId, MALLORY)).toMatchObject({ status: 'processing' });
    expect(s.mock.stats.listAssets).toBe(1);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'rate_limited', action: 'list_assets' }));
  });

  describe('with a ListAssets that never answers', () => {
    afterEach(() => vi.useRealTimers());

    it('a status read answers processing after INLINE_WAIT_MS (10 s), not after the upstream’s 30 s timeout', async () => {
      vi.useFakeTimers();
      const s = assetSetup({ backgroundTimers: false }, { listIntervalMs: 2000 }, { assetActivationMs: 0 });
      const { assetId } = await settle(upload(s, files.png(600, 800)));
      s.mock.failNext('hang', 'listAssets');
      await vi.advanceTimersByTimeAsync(2000);
      const started = Date.now();
      const answer = await settle(readStatus(s, assetId));
      expect(answer.status).toBe('processing');
      expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
      expect(Date.now() - started).toBeLessThan(30_000);
    });
  });

  it('an upstream 503 on ListAssets: the asset stays processing, and it is not asked again before its Retry-After', async () => {
    const s = clocked();
    const { assetId } = await upload(s, files.png(600, 800));
    s.mock.failNext('unavailable', 'listAssets');
    s.clock.advance(2000);
    expect((await readStatus(s, assetId)).status).toBe('processing');
    s.clock.advance(2000);
    await readStatus(s, assetId);
    expect(s.mock.stats.listAssets).toBe(1);
    s.clock.advance(5000);
    expect((await readStatus(s, assetId)).status).toBe('active');
  });
});

describe('onAssetActive', () => {
  it('called once, with subject, groupId, assetId and type, before the status reads active; 30 concurrent reads while it runs make one call', async () => {
    const calls: unknown[] = [];
    const s = clocked({
      // A slow hook (a database write): the reads below all arrive while it runs.
      onAssetActive: async (asset) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        calls.push({ subject: asset.subject, groupId: asset.groupId, assetId: asset.assetId, type: asset.type });
      },
    });
    const { assetId } = await upload(s, files.png(600, 800));
    s.clock.advance(5000);
    await Promise.all(Array.from({ length: 30 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 3)).then(() => readStatus(s, assetId))));
    expect((await readStatus(s, assetId)).status).toBe('active');
    expect(calls).toEqual([{ subject: ALICE, groupId: s.groups.get(ALICE), assetId, type: 'image' }]);
    s.clock.advance(60_000);
    await readStatus(s, assetId);
    expect(calls).toHaveLength(1);
  });

  it('while it throws, the asset reads processing and the call is retried with back-off; then active, and never called again', async () => {
    let calls = 0;
    const s = clocked({
      onAssetActive: () => {
        calls += 1;
        if (calls < 3) throw new Error('database down');
      },
    });
    const { assetId } = await upload(s, files.png(600, 800));
    s.clock.advance(5000);
    expect((await readStatus(s, assetId)).status).toBe('processing');
    expect(calls).toBe(1);
    // Back-off: 1 s after the first failure, then 2 s.
    await readStatus(s, assetId);
    expect(calls).toBe(1);
    s.clock.advance(1000);
    expect((await readStatus(s, assetId)).status).toBe('processing');
    expect(calls).toBe(2);
    s.clock.advance(2000);
    expect((await readStatus(s, assetId)).status).toBe('active');
    expect(calls).toBe(3);
    s.clock.advance(60_000);
    await readStatus(s, assetId);
    expect(calls).toBe(3);
    expect(s.events.filter((event) => event.type === 'asset.retry')).toHaveLength(2);
  });

  it('past onAssetActiveWindowMs it gives up: failed, reason unknown, event code on_asset_active_gave_up', async () => {
    const s = clocked({ onAssetActive: () => Promise.reject(new Error('down')), onAssetActiveWindowMs: 10_000 });
    const { assetId } = await upload(s, files.png(600, 800));
    s.clock.advance(5000);
    await readStatus(s, assetId);
    s.clock.advance(11_000);
    expect(await readStatus(s, assetId)).toMatchObject({ status: 'failed', reason: 'unknown' });
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'asset.failed', code: 'on_asset_active_gave_up' }));
  });

  it('without onAssetActive the asset reads active as soon as the upstream says so', async () => {
    const s = clocked({ onAssetActive: undefined });
    const { assetId } = await upload(s, files.png(600, 800));
    s.clock.advance(5000);
    expect((await readStatus(s, assetId)).status).toBe('active');
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'asset.active', assetId }));
  });
});

describe('GET /assets/:id/events', () => {
  it('pushes the status at once, then the outcome, then ends; the same JSON as the status route', async () => {
    const s = assetSetup({}, { listIntervalMs: 100 }, { assetActivationMs: 300 });
    const { assetId, eventsUrl } = await upload(s, files.png(600, 800));
    const response = await s.handler(request(eventsUrl!, { headers: { 'X-Test-User': ALICE } }));
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(response, 5000);
    expect(events).toEqual([
      { assetId, status: 'processing', type: 'image' },
      { assetId, status: 'active', type: 'image' },
    ]);
  });

  it('a mismatch ends the stream with failed and its reason', async () => {
    const s = assetSetup({}, { listIntervalMs: 100 }, { assetActivationMs: 200 });
    const { eventsUrl } = await upload(s, files.samplePhoto({ outcome: 'faceMismatch' }));
    const events = await readEvents(await s.handler(request(eventsUrl!, { headers: { 'X-Test-User': ALICE } })), 5000);
    expect(events.at(-1)).toMatchObject({ status: 'failed', reason: 'face_mismatch' });
  });

  it('asset streams count against maxEventStreams, and an aborted one frees its place', async () => {
    const s = assetSetup({ maxEventStreams: 1 }, {}, { assetActivationMs: 60_000 });
    const { eventsUrl } = await upload(s, files.png(600, 800));
    const abort = new AbortController();
    const open = await s.handler(request(eventsUrl!, { headers: { 'X-Test-User': ALICE }, signal: abort.signal }));
    expect(open.status).toBe(200);
    const refused = await s.handler(request(eventsUrl!, { headers: { 'X-Test-User': ALICE } }));
    expect(refused.status).toBe(503);
    abort.abort();
    await open.body?.cancel().catch(() => undefined);
    const again = await s.handler(request(eventsUrl!, { headers: { 'X-Test-User': ALICE } }));
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });

  it('the marker the mock looks for is documented text, not magic', () => {
    expect(MOCK_FACE_MISMATCH_MARKER).toBe('MOCK-FACE-MISMATCH');
  });
});
