/*
 * msw handlers that play the app's asset routes (`POST /api/liveness/assets`, `GET …/assets/:id`) for
 * the stories of <LivenessAssets>. Every id is obviously fake.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type {} from 'msw-storybook-addon/csf3';

/** Where the stories upload. */
export const ASSETS_ENDPOINT = '/api/liveness/assets';

let counter = 0;

/** `202` for every upload: a fresh fake asset id, its status URL. */
export function acceptsUploads(): HttpHandler {
  return http.post(ASSETS_ENDPOINT, async () => {
    counter += 1;
    const assetId = `asset-20260702120000-fake${String(counter).padStart(2, '0')}`;
    await delay(50);
    return HttpResponse.json({ assetId, statusUrl: `${ASSETS_ENDPOINT}/${assetId}`, status: 'processing' }, { status: 202 });
  });
}

/** The upload never answers: the file stays `uploading`. */
export function uploadNeverAnswers(): HttpHandler {
  return http.post(ASSETS_ENDPOINT, async () => {
    await delay('infinite');
    return HttpResponse.json({});
  });
}

/** The upload answers `status` with the library's error body. */
export function uploadFails(status: number, code: string): HttpHandler {
  return http.post(ASSETS_ENDPOINT, () => HttpResponse.json({ error: { code, message: 'A fake error for the story.' } }, { status }));
}

/** The upload never reaches the server. */
export function uploadNetworkError(): HttpHandler {
  return http.post(ASSETS_ENDPOINT, () => HttpResponse.error());
}

/** Every status read answers what `answer` says for the asset and the read's number (1, 2, …). */
export function assetStatus(answer: (assetId: string, nth: number) => 'processing' | 'active' | 'face_mismatch' | 'invalid_media'): HttpHandler {
  const reads = new Map<string, number>();
  return http.get(`${ASSETS_ENDPOINT}/:id`, ({ params }) => {
    const assetId = String(params.id);
    const nth = (reads.get(assetId) ?? 0) + 1;
    reads.set(assetId, nth);
    const said = answer(assetId, nth);
    if (said === 'face_mismatch' || said === 'invalid_media') return HttpResponse.json({ assetId, status: 'failed', reason: said, type: 'image' });
    return HttpResponse.json({ assetId, status: said, type: 'image' });
  });
}
