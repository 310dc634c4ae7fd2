// @vitest-environment node
// Issue 26: POST {basePath}/assets. The file is judged again on the server whatever the browser
// checked, read as it streams and never past its cap, and only then sent upstream.
import { describe, expect, it, vi } from 'vitest';
import { createLivenessHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { decodeBase64 } from '../../../src/core/media/base64.js';
import { ALICE, BOUNDARY, MALLORY, assetSetup, multipart, upload, uploadRequest } from '../assets/assetHelpers.js';
import { API_KEY, BASE, errorBody, errorInText, PUBLIC_URL, request, UPSTREAM_URL } from '../helpers.js';
import * as files from '../../media/mediaFiles.js';
import { urlOf } from '../../fetchInput.js';
import type { CreateAssetResponse } from '../../../src/core/wire/assetProtocol.js';

/** A body that counts how much of it was pulled: what "never read" means. */
function countedBody(bytes: Uint8Array, chunk = 64 * 1024) {
  let pulled = 0;
  // highWaterMark 0: a chunk is made only when the reader asks for it, never ahead.
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(pulled, pulled + chunk));
        pulled += chunk;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => Math.min(pulled, bytes.length) };
}

function streamedUpload(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return request(`${BASE}/assets`, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'X-Test-User': ALICE, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('POST /assets: accepted files', () => {
  it('202 with assetId, statusUrl and eventsUrl; CreateAsset got the file as a data: URI, under a unique Name the server chose, in the subject’s own group', async () => {
    const s = assetSetup();
    const photo = files.jpeg(1200, 1600);
    const response = await s.handler(uploadRequest(photo, { filename: '../../etc/passwd.jpg' }));
    expect(response.status).toBe(202);
    const body = (await response.json()) as CreateAssetResponse;
    expect(body).toEqual({
      assetId: expect.stringMatching(/^asset-\d{14}-[a-z0-9]{5}$/),
      statusUrl: `${BASE}/assets/${body.assetId}`,
      eventsUrl: `${BASE}/assets/${body.assetId}/events`,
      status: 'processing',
    });
    expect(response.headers.get('location')).toBe(body.statusUrl);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const asset = s.mock.assets.get(body.assetId)!;
    expect(asset).toMatchObject({ groupId: s.groups.get(ALICE), assetType: 'Image', mime: 'image/jpeg', size: photo.length });
    // The name is the server's, never the browser's file name.
    expect(asset.name).toMatch(/^liveness-\d{14}-[a-z2-7]{10}$/);
    const second = await upload(s, photo);
    expect(s.mock.assets.get(second.assetId)!.name).not.toBe(asset.name);
  });

  it('sends the bytes it received, unchanged, with the MIME type its magic bytes say (a PNG called photo.jpg is sent as a PNG)', async () => {
    let sent: Record<string, unknown> | undefined;
    const mock = createMockUpstream({ apiKey: API_KEY });
    const groupId = mock.createGroup();
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      authorize: () => ({ subject: ALICE }),
      assets: { groupIdFor: () => groupId },
      fetch: async (input, init) => {
        const forwarded = new Request(input, init);
        if (forwarded.url.endsWith('/CreateAsset')) sent = JSON.parse(await forwarded.clone().text());
        return mock(forwarded);
      },
    });
    const photo = files.png(600, 800);
    expect((await handler(uploadRequest(photo, { filename: 'photo.jpg', type: 'image/jpeg' }))).status).toBe(202);
    expect(sent).toMatchObject({ model: 'volc-asset', GroupId: groupId, AssetType: 'Image', Name: expect.any(String) });
    const url = sent!.URL as string;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(decodeBase64(url.slice('data:image/png;base64,'.length))).toEqual(photo);
  });

  it.each([
    ['a PNG', files.png(600, 800)],
    ['a GIF', files.gif(600, 800)],
    ['a WebP', files.webp(800, 600)],
    ['a BMP', files.bmp(400, 400)],
    ['a TIFF with its directory at the end', files.tiff(1000, 800, { ifdAtEnd: true })],
    ['a HEIC from a phone (a grid)', files.heic(4032, 3024)],
    ['a 5 s MP4', files.mp4()],
    ['a 12 s MOV written moov-last', files.mp4({ brand: 'qt  ', moovLast: true, seconds: 12 })],
  ])('accepts %s', async (_name, bytes) => {
    const s = assetSetup();
    const created = await upload(s, bytes);
    expect(s.mock.assets.get(created.assetId)).toBeDefined();
  });
});

describe('POST /assets: hostile and invalid files (nothing reaches the upstream)', () => {
  it.each([
    ['wrong magic bytes (noise named photo.jpg)', 415, 'unsupported_type', files.noise()],
    ['an SVG with a script', 415, 'unsupported_type', files.svgWithScript()],
    ['an HTML page', 415, 'unsupported_type', files.html()],
    ['a ZIP', 415, 'unsupported_type', files.zip()],
    ['a PDF', 415, 'unsupported_type', files.pdf()],
    ['an empty file', 422, 'empty', new Uint8Array(0)],
    ['a 10 000 × 10 px image', 422, 'dimensions_too_small', files.png(10_000, 10)],
    ['a PNG header claiming 100 000 × 100 000 px', 422, 'dimensions_too_large', files.png(100_000, 100_000)],
    ['a 3000 × 1000 px image (ratio 3)', 422, 'aspect_ratio', files.jpeg(3000, 1000)],
    ['a truncated JPEG', 422, 'truncated', files.jpeg(1200, 1600, { truncate: true })],
    ['a truncated PNG', 422, 'truncated', files.png(800, 800, { truncate: 300 })],
    ['a JPEG whose scan comes before any frame', 422, 'unreadable', files.concat([0xff, 0xd8, 0xff, 0xfe, 0, 6, 65, 66, 67, 68, 0xff, 0xda, 0, 4, 0, 0], new Uint8Array(64), [0xff, 0xd9])],
    ['a 20 s video', 422, 'duration', files.mp4({ seconds: 20 })],
    ['a 120 fps video', 422, 'frame_rate', files.mp4({ fps: 120 })],
    ['an MP4 with sound only', 422, 'unreadable', files.mp4({ audioOnly: true })],
  ])('%s → %i %s', async (_name, status, reason, bytes) => {
    const s = assetSetup();
    const response = await s.handler(uploadRequest(bytes, { filename: 'photo.jpg', type: 'image/jpeg' }));
    expect(response.status).toBe(status);
    const error = await errorBody(response);
    expect(error.reason).toBe(reason);
    expect(error.code).toBe(status === 415 ? 'unsupported_media_type' : 'invalid_media');
    expect(error.message).not.toMatch(/alert|script|passwd/);
    expect(s.mock.stats.createAsset).toBe(0);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', httpStatus: status, code: reason }));
  });

  it('a 40 MB image → 413 once it passes the 30 MB cap; the rest of the body is never pulled', async () => {
    const s = assetSetup();
    const bytes = multipart([{ name: 'file', filename: 'big.jpg', type: 'image/jpeg', body: files.jpeg(1200, 1600, { scanBytes: 40 * 1024 * 1024 }) }]);
    const body = countedBody(bytes);
    const response = await s.handler(streamedUpload(body.stream));
    expect(response.status).toBe(413);
    expect(await errorBody(response)).toMatchObject({ code: 'payload_too_large', reason: 'file_too_large' });
    expect(body.pulled()).toBeLessThan(31 * 1000 * 1000);
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('a PNG header claiming 100 000 × 100 000 px is refused from its first bytes: the pixels that follow are never pulled', async () => {
    const s = assetSetup();
    const claim = files.png(100_000, 100_000);
    const bytes = multipart([{ name: 'file', filename: 'bomb.png', type: 'image/png', body: files.concat(claim.subarray(0, 33), new Uint8Array(20 * 1024 * 1024)) }]);
    const body = countedBody(bytes);
    const response = await s.handler(streamedUpload(body.stream));
    expect(response.status).toBe(422);
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it("types: ['image'] refuses a video as unsupported_type", async () => {
    const s = assetSetup({}, { types: ['image'] });
    const response = await s.handler(uploadRequest(files.mp4()));
    expect(response.status).toBe(415);
    expect((await errorBody(response)).reason).toBe('unsupported_type');
  });

  it('maxImageBytes lowers the cap: a 600 KB photo over a 500 KB cap is 413', async () => {
    const s = assetSetup({}, { maxImageBytes: 500_000 });
    const response = await s.handler(uploadRequest(files.jpeg(1200, 1600, { scanBytes: 600_000 })));
    expect(response.status).toBe(413);
    expect(s.mock.stats.createAsset).toBe(0);
  });
});

describe('POST /assets: the form', () => {
  const post = (body: Uint8Array | string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    request(`${BASE}/assets`, { method: 'POST', headers: { 'Content-Type': contentType, 'X-Test-User': ALICE }, body: body as BodyInit });

  it.each([
    ['JSON', 415, JSON.stringify({ url: 'https://example.test/x.jpg' }), 'application/json'],
    ['multipart without a boundary', 415, 'x', 'multipart/form-data'],
    ['a form without a file', 400, multipart([{ name: 'note', body: 'hello' }]), undefined],
    [
      'two files',
      400,
      multipart([
        { name: 'file', filename: 'a.png', body: files.png(600, 800) },
        { name: 'file', filename: 'b.png', body: files.png(600, 800) },
      ]),
      undefined,
    ],
    ['a file in a part not named "file"', 400, multipart([{ name: 'photo', filename: 'a.png', body: files.png(600, 800) }]), undefined],
    [
      '20 KB of text fields beside the file',
      400,
      multipart([
        { name: 'note', body: 'x'.repeat(20_000) },
        { name: 'file', filename: 'a.png', body: files.png(600, 800) },
      ]),
      undefined,
    ],
    ['part headers of 10 KB', 400, multipart([{ name: 'file', filename: 'a.png', headers: `X-Junk: ${'j'.repeat(10_000)}\r\n`, body: files.png(600, 800) }]), undefined],
    ['a form cut before its closing boundary', 400, multipart([{ name: 'file', filename: 'a.png', body: files.png(600, 800) }]).subarray(0, 3000), undefined],
    ['bytes that are not a form', 400, files.png(600, 800), undefined],
  ])('%s → %i, and no upstream call', async (_name, status, body, type) => {
    const s = assetSetup();
    const response = await s.handler(post(body, type));
    expect(response.status).toBe(status);
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('a first boundary without a line break before it, a part without headers and a quoted boundary are all understood', async () => {
    const s = assetSetup();
    const text = (value: string) => new TextEncoder().encode(value);
    const body = files.concat(
      text(`--${BOUNDARY}\r\n\r\nignored\r\n`),
      text(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n`),
      files.png(600, 800),
      text(`\r\n--${BOUNDARY}--\r\n`),
    );
    const response = await s.handler(post(body, `multipart/form-data; boundary="${BOUNDARY}"`));
    expect(response.status).toBe(202);
  });
});

describe('POST /assets: who may upload', () => {
  it('without a subject (authorize answers true) → 404, nothing read, nothing called', async () => {
    const s = assetSetup();
    const response = await s.handler(uploadRequest(files.png(600, 800), { user: null }));
    expect(response.status).toBe(404);
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('a subject without a group (not verified yet) → 404; the browser cannot name a group', async () => {
    const s = assetSetup();
    const response = await s.handler(uploadRequest(files.png(600, 800), { user: 'user-unverified', headers: { 'X-Group-Id': s.groups.get(ALICE)! } }));
    expect(response.status).toBe(404);
    const withField = await s.handler(
      request(`${BASE}/assets`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'X-Test-User': MALLORY },
        body: multipart([
          { name: 'GroupId', body: s.groups.get(ALICE)! },
          { name: 'file', filename: 'a.png', body: files.png(600, 800) },
        ]) as BodyInit,
      }),
    );
    expect(withField.status).toBe(202);
    const { assetId } = (await withField.json()) as CreateAssetResponse;
    // Mallory's upload went into Mallory's group, whatever the form said.
    expect(s.mock.assets.get(assetId)!.groupId).toBe(s.groups.get(MALLORY));
  });

  it('groupIdFor that throws → 500 with our own message, the app’s error not echoed', async () => {
    const s = assetSetup(
      {},
      {
        groupIdFor: () => {
          throw new Error('db password=hunter2 unreachable');
        },
      },
    );
    const response = await s.handler(uploadRequest(files.png(600, 800)));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });

  it('403 origin_not_allowed from another site, before authorize and before the body is read', async () => {
    const authorize = vi.fn(() => ({ subject: ALICE }));
    const s = assetSetup({ authorize });
    const body = countedBody(multipart([{ name: 'file', filename: 'a.png', body: files.png(600, 800) }]));
    const response = await s.handler(streamedUpload(body.stream, { Origin: 'https://evil.example.test' }));
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('origin_not_allowed');
    expect(authorize).not.toHaveBeenCalled();
    expect(body.pulled()).toBe(0);
    const crossSite = await s.handler(uploadRequest(files.png(600, 800), { headers: { Origin: '', 'Sec-Fetch-Site': 'cross-site' } }));
    expect(crossSite.status).toBe(403);
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('authorize false → 403, a throw → 401', async () => {
    const refusing = assetSetup({ authorize: () => false });
    expect((await refusing.handler(uploadRequest(files.png(600, 800)))).status).toBe(403);
    const throwing = assetSetup({
      authorize: () => {
        throw new Error('no session');
      },
    });
    expect((await throwing.handler(uploadRequest(files.png(600, 800)))).status).toBe(401);
  });

  it('without the assets option the routes do not exist: 404', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const handler = createLivenessHandler({ apiKey: API_KEY, upstreamUrl: UPSTREAM_URL, fetch: mock.fetch, authorize: () => ({ subject: ALICE }) });
    expect((await handler(uploadRequest(files.png(600, 800)))).status).toBe(404);
    expect((await handler(request(`${BASE}/assets/asset-20260702120000-abcde`))).status).toBe(404);
  });

  it('405 with Allow for other methods', async () => {
    const s = assetSetup();
    const get = await s.handler(request(`${BASE}/assets`, { headers: { 'X-Test-User': ALICE } }));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const del = await s.handler(request(`${BASE}/assets/asset-1`, { method: 'DELETE' }));
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('POST /assets: the upstream', () => {
  it.each([
    ['a 404 (the group is unknown upstream)', 502, 'upstream_group_not_found', 'notFound'],
    ['a 503 with Retry-After', 503, 'upstream_unavailable', 'unavailable'],
    ['a 429', 503, 'upstream_unavailable', 'rateLimited'],
    ['an HTML page', 502, 'upstream_error', 'html'],
    ['a gateway error', 502, 'upstream_error', 'gatewayError'],
    ['an answer without Id', 502, 'upstream_error', 'missingFields'],
  ] as const)('%s → %i %s, nothing stored', async (_name, status, code, fault) => {
    const s = assetSetup();
    s.mock.failNext(fault, 'createAsset');
    const response = await s.handler(uploadRequest(files.png(600, 800)));
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(errorInText(text).code).toBe(code);
    expect(text).not.toContain(API_KEY);
    if (status === 503) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a CreateAsset that made the asset but never answered (timeout): found by its name, 202 with it', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const groupId = mock.createGroup();
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      authorize: () => ({ subject: ALICE }),
      assets: { groupIdFor: () => groupId, createTimeoutMs: 200 },
      fetch: async (input, init) => {
        const answer = await mock(new Request(input, init));
        // The gateway made the asset, then held the connection past our deadline.
        if (new URL(urlOf(input)).pathname.endsWith('/CreateAsset')) await new Promise((resolve) => setTimeout(resolve, 1000));
        return answer;
      },
    });
    const response = await handler(uploadRequest(files.png(600, 800)));
    expect(response.status).toBe(202);
    const { assetId } = await response.json();
    expect([...mock.assets.keys()]).toEqual([assetId]);
  });
});

describe('POST /assets with an Idempotency-Key', () => {
  const KEY = 'upload-key-0123456789abcdef';

  it('a repeat gets the same asset: one CreateAsset', async () => {
    const s = assetSetup();
    const photo = files.png(600, 800);
    const first = await upload(s, photo, { key: KEY });
    const again = await upload(s, photo, { key: KEY });
    expect(again.assetId).toBe(first.assetId);
    expect(s.mock.stats.createAsset).toBe(1);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'asset.reused', assetId: first.assetId }));
  });

  it('concurrent repeats while the first is in flight: one CreateAsset, the same asset for all', async () => {
    const s = assetSetup({}, {}, { latencyMs: 150 });
    const photo = files.png(600, 800);
    const answers = await Promise.all(Array.from({ length: 5 }, () => upload(s, photo, { key: KEY })));
    expect(new Set(answers.map((answer) => answer.assetId)).size).toBe(1);
    expect(s.mock.stats.createAsset).toBe(1);
  });

  it('the same key with another file → 422 idempotency_key_reused', async () => {
    const s = assetSetup();
    await upload(s, files.png(600, 800), { key: KEY });
    const other = await s.handler(uploadRequest(files.png(700, 800), { key: KEY }));
    expect(other.status).toBe(422);
    expect((await errorBody(other)).code).toBe('idempotency_key_reused');
  });

  it('keys are the subject’s own: Mallory repeating Alice’s key makes her own asset, in her own group', async () => {
    const s = assetSetup();
    const photo = files.png(600, 800);
    const alice = await upload(s, photo, { key: KEY });
    const mallory = await upload(s, photo, { key: KEY, user: MALLORY });
    expect(mallory.assetId).not.toBe(alice.assetId);
    expect(s.mock.assets.get(mallory.assetId)!.groupId).toBe(s.groups.get(MALLORY));
  });

  it('a create that failed after the upstream made the asset: the retry reuses its name, hears 404 (a duplicate name), and finds the first asset', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const groupId = mock.createGroup();
    let failOnce = true;
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      authorize: () => ({ subject: ALICE }),
      assets: { groupIdFor: () => groupId },
      fetch: async (input, init) => {
        const answer = await mock(new Request(input, init));
        if (failOnce && urlOf(input).endsWith('/CreateAsset')) {
          failOnce = false;
          // Made upstream, but the gateway's answer was lost: what the browser sees is a 502.
          return new Response('{"error":{"code":"bad_gateway","message":"upstream reset"}}', { status: 502 });
        }
        return answer;
      },
    });
    const photo = files.png(600, 800);
    expect((await handler(uploadRequest(photo, { key: KEY }))).status).toBe(502);
    const retry = await handler(uploadRequest(photo, { key: KEY }));
    expect(retry.status).toBe(202);
    const { assetId } = await retry.json();
    expect([...mock.assets.keys()]).toEqual([assetId]);
    expect(mock.stats.createAsset).toBe(2);
  });
});

describe('POST /assets: budgets', () => {
  it('each subject’s own budget: over it, 429 client_rate_limited with Retry-After before the body is read; a refused file gives its slot back', async () => {
    const s = assetSetup({}, { subjectRateLimit: { requests: 2, perMs: 60_000 } });
    expect((await s.handler(uploadRequest(files.svgWithScript()))).status).toBe(415);
    await upload(s, files.png(600, 800));
    await upload(s, files.png(600, 800));
    const body = countedBody(multipart([{ name: 'file', filename: 'a.png', body: files.png(600, 800) }]));
    const refused = await s.handler(streamedUpload(body.stream));
    expect(refused.status).toBe(429);
    expect((await errorBody(refused)).code).toBe('client_rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.pulled()).toBe(0);
    // Someone else is not held back by Alice.
    await upload(s, files.png(600, 800), { user: MALLORY });
    expect(s.mock.stats.createAsset).toBe(3);
  });

  it('the shared CreateAsset budget: over it, 429 rate_limited, the subject’s slot handed back', async () => {
    const s = assetSetup({}, { createRateLimit: { requests: 1, perMs: 60_000 }, subjectRateLimit: { requests: 2, perMs: 60_000 } });
    await upload(s, files.png(600, 800));
    const refused = await s.handler(uploadRequest(files.png(600, 800), { user: MALLORY }));
    expect(refused.status).toBe(429);
    expect((await errorBody(refused)).code).toBe('rate_limited');
    expect(s.mock.stats.createAsset).toBe(1);
  });
});
