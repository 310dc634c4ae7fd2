import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LivenessAssets, defaultAssetsDisplayTextEn as en } from '../../../src/assets.js';
import { assetsZhCN, assetsZhTW } from '../../../src/locales.js';
import * as files from '../../media/mediaFiles.js';

const ENDPOINT = 'https://app.example.test/api/liveness/assets';
// jsdom's FormData does not survive msw's XMLHttpRequest interception whole (the part arrives as "blob"),
// so these tests check the request's shape; the end-to-end tests check the file itself, in real browsers.
const uploads: { contentType: string; key: string | null }[] = [];
let statuses: Record<string, string[]> = {};
let nextId = 0;

const server = setupServer(
  http.post(ENDPOINT, async ({ request }) => {
    uploads.push({ contentType: request.headers.get('Content-Type') ?? '', key: request.headers.get('Idempotency-Key') });
    const assetId = `asset-20260702120000-${String((nextId += 1)).padStart(5, '0')}`;
    return HttpResponse.json({ assetId, statusUrl: `/api/liveness/assets/${assetId}`, status: 'processing' }, { status: 202 });
  }),
  http.get('https://app.example.test/api/liveness/assets/:id', ({ params }) => {
    const id = String(params.id);
    const queue = statuses[id] ?? ['active'];
    const status = queue.length > 1 ? queue.shift()! : queue[0]!;
    return HttpResponse.json(status === 'face_mismatch' ? { assetId: id, status: 'failed', reason: 'face_mismatch' } : { assetId: id, status });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  uploads.length = 0;
  statuses = {};
  nextId = 0;
});
afterAll(() => server.close());

const photo = (bytes: Uint8Array = files.png(600, 800), name = 'me.png', type = 'image/png') => new File([bytes as BlobPart], name, { type });

function pick(bytes?: Uint8Array, name?: string, type?: string) {
  const input = screen.getByLabelText(en.chooseButtonWithVideo) as HTMLInputElement;
  return userEvent.upload(input, photo(bytes, name, type), { applyAccept: false });
}

describe('<LivenessAssets>', () => {
  it('checks, uploads and follows a photo to active; calls onAssetActive once with its id', async () => {
    const onAssetActive = vi.fn();
    render(<LivenessAssets endpoint={ENDPOINT} pollIntervalMs={20} onAssetActive={onAssetActive} />);
    const root = document.querySelector('[data-liveness-assets]')!;
    expect(root).toHaveAttribute('data-state', 'idle');
    expect(screen.getByText(en.title)).toBeInTheDocument();
    await pick();
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'active'));
    expect(within(item).getByRole('status')).toHaveTextContent(en.activeText);
    expect(root).toHaveAttribute('data-state', 'active');
    expect(item).toHaveAttribute('data-asset-id', 'asset-20260702120000-00001');
    expect(uploads).toEqual([{ contentType: expect.stringMatching(/^multipart\/form-data; boundary=/), key: expect.stringMatching(/^.{16,}$/) }]);
    expect(onAssetActive).toHaveBeenCalledTimes(1);
    expect(onAssetActive).toHaveBeenCalledWith(expect.objectContaining({ assetId: 'asset-20260702120000-00001', file: expect.objectContaining({ name: 'me.png' }) }));
  });

  it('the face does not match: failed, in words, with what to do', async () => {
    statuses['asset-20260702120000-00001'] = ['processing', 'face_mismatch'];
    render(<LivenessAssets endpoint={ENDPOINT} pollIntervalMs={20} />);
    await pick();
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'failed'));
    expect(item).toHaveAttribute('data-reason', 'face_mismatch');
    expect(within(item).getByRole('status')).toHaveTextContent('The face does not match the verified person.');
    expect(within(item).getByRole('status')).toHaveTextContent(en.failedFaceMismatchAdvice);
  });

  it.each([
    ['an SVG with a script', files.svgWithScript(), 'unsupported_type', 'This type of file can’t be used.', 'Use one of these: JPG, PNG, HEIC, WebP, GIF, BMP, TIFF, MP4, MOV.'],
    ['a 10 000 × 10 px image', files.png(10_000, 10), 'dimensions_too_small', 'The picture is too small (10000 × 10 px).', 'Each side needs at least 300 px'],
    ['a 3000 × 1000 px image', files.jpeg(3000, 1000), 'aspect_ratio', 'too narrow or too wide (3000 × 1000 px)', 'Crop it closer to a square'],
    ['a 7000 × 5000 px image', files.jpeg(7000, 5000), 'dimensions_too_large', 'too large (7000 × 5000 px)', 'at most 6000 px'],
    ['a truncated JPEG', files.jpeg(800, 800, { truncate: true }), 'truncated', 'The file is incomplete.', 'Choose it again.'],
    ['a 20 s video', files.mp4({ seconds: 20 }), 'duration', 'The video is 20 seconds long.', 'Use a video of 2 to 15 seconds.'],
    ['an empty file', new Uint8Array(0), 'empty', 'The file is empty.', 'Choose the file again.'],
  ])('refuses %s before sending it, and says why and what to do', async (_name, bytes, reason, status, advice) => {
    render(<LivenessAssets endpoint={ENDPOINT} />);
    await pick(bytes);
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'rejected'));
    expect(item).toHaveAttribute('data-reason', reason);
    expect(within(item).getByRole('status')).toHaveTextContent(status);
    expect(within(item).getByRole('status')).toHaveTextContent(advice);
    expect(uploads).toEqual([]);
  });

  it('a file over the cap is refused by its size without being read whole', async () => {
    render(<LivenessAssets endpoint={ENDPOINT} limits={{ maxImageBytes: 100_000 }} />);
    await pick(files.jpeg(1200, 1600, { scanBytes: 300_000 }), 'big.jpg', 'image/jpeg');
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-reason', 'file_too_large'));
    expect(within(item).getByRole('status')).toHaveTextContent(/The file is too large \(30\d KB\)\./);
    expect(within(item).getByRole('status')).toHaveTextContent('Use one smaller than 100 KB');
  });

  it('a refusal by the server (its own check) shows as rejected with the server’s reason', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.json({ error: { code: 'invalid_media', message: 'x', reason: 'truncated' } }, { status: 422 })));
    render(<LivenessAssets endpoint={ENDPOINT} />);
    await pick();
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'rejected'));
    expect(item).toHaveAttribute('data-reason', 'truncated');
  });

  it.each([
    [404, 'not_found', en.notVerifiedError],
    [429, 'rate_limited', en.rateLimitedError],
    [502, 'upstream_group_not_found', en.groupNotFoundError],
    [500, 'internal_error', en.serverError],
  ])('an upload answered %i %s: an error in words, and Try again sends it again with the same Idempotency-Key', async (status, code, text) => {
    let first = true;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        uploads.push({ contentType: '', key: request.headers.get('Idempotency-Key') });
        if (first) {
          first = false;
          return HttpResponse.json({ error: { code, message: 'fake' } }, { status });
        }
        return HttpResponse.json({ assetId: 'asset-20260702120000-retry', statusUrl: '/api/liveness/assets/asset-20260702120000-retry' }, { status: 202 });
      }),
    );
    render(<LivenessAssets endpoint={ENDPOINT} pollIntervalMs={20} />);
    await pick();
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'error'));
    expect(within(item).getByRole('status')).toHaveTextContent(text);
    await userEvent.click(within(item).getByRole('button', { name: en.retryButton }));
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'active'));
    expect(uploads).toHaveLength(2);
    expect(uploads[1]!.key).toBe(uploads[0]!.key);
  });

  it('the network fails: networkError', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    render(<LivenessAssets endpoint={ENDPOINT} />);
    await pick();
    const item = await screen.findByRole('listitem');
    await waitFor(() => expect(item).toHaveAttribute('data-state', 'error'));
    expect(within(item).getByRole('status')).toHaveTextContent(en.networkError);
  });

  it('Remove takes a file off the list (its name in the button’s accessible name)', async () => {
    render(<LivenessAssets endpoint={ENDPOINT} />);
    await pick(files.svgWithScript(), 'bad.svg', 'image/svg+xml');
    await screen.findByRole('listitem');
    await userEvent.click(await screen.findByRole('button', { name: 'Remove bad.svg' }));
    expect(screen.queryByRole('listitem')).toBeNull();
    expect(document.querySelector('[data-liveness-assets]')).toHaveAttribute('data-state', 'idle');
  });

  it('the file input is labelled, accepts images (and the two video types), and carries no capture on a desktop', () => {
    render(<LivenessAssets endpoint={ENDPOINT} />);
    const input = screen.getByLabelText(en.chooseButtonWithVideo);
    expect(input).toHaveAttribute('type', 'file');
    expect(input).toHaveAttribute('accept', 'image/*,video/mp4,video/quicktime');
    expect(input).not.toHaveAttribute('capture');
    expect(screen.queryByLabelText(en.takePhotoButton)).toBeNull();
  });

  it('on a phone: Take a photo opens the front camera (capture="user"), beside choosing a file', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1');
    render(<LivenessAssets endpoint={ENDPOINT} types={['image']} />);
    const camera = screen.getByLabelText(en.takePhotoButton);
    expect(camera).toHaveAttribute('capture', 'user');
    expect(camera).toHaveAttribute('accept', 'image/*');
    expect(screen.getByLabelText(en.chooseButton)).toHaveAttribute('accept', 'image/*');
  });

  it('speaks zh-CN and zh-TW, with lang on the root', async () => {
    const { unmount } = render(<LivenessAssets endpoint={ENDPOINT} locale={assetsZhCN} />);
    expect(screen.getByText(assetsZhCN.displayText.title)).toBeInTheDocument();
    expect(document.querySelector('[data-liveness-assets]')).toHaveAttribute('lang', 'zh-CN');
    await userEvent.upload(screen.getByLabelText(assetsZhCN.displayText.chooseButtonWithVideo) as HTMLInputElement, photo(files.png(10_000, 10)), { applyAccept: false });
    expect(await screen.findByText('图片尺寸过小（10000 × 10 像素）。')).toBeInTheDocument();
    unmount();
    render(<LivenessAssets endpoint={ENDPOINT} locale={assetsZhTW} />);
    expect(screen.getByText(assetsZhTW.displayText.title)).toBeInTheDocument();
  });

  it('theming: theme → CSS variables, classNames per slot, className and style on the root, unstyled, data-slot everywhere', async () => {
    render(
      <LivenessAssets
        endpoint={ENDPOINT}
        theme={{ accent: 'rebeccapurple', radius: '4px' }}
        classNames={{ root: 'r', chooseButton: 'c', item: 'i' }}
        className="app"
        style={{ margin: 3 }}
        unstyled
        colorScheme="dark"
      />,
    );
    const root = document.querySelector<HTMLElement>('[data-liveness-assets]')!;
    expect(root.className).toBe('r app');
    expect(root.style.getPropertyValue('--liveness-accent')).toBe('rebeccapurple');
    expect(root.style.margin).toBe('3px');
    expect(root).toHaveAttribute('data-unstyled', '');
    expect(root).toHaveAttribute('data-color-scheme', 'dark');
    expect(document.querySelector('[data-slot="chooseButton"]')).toHaveClass('c');
    await pick(files.svgWithScript());
    expect(await screen.findByRole('listitem')).toHaveClass('i');
    for (const slot of ['title', 'instruction', 'actions', 'fileInput', 'list', 'item', 'fileName', 'itemStatus', 'advice', 'removeButton']) {
      expect(document.querySelector(`[data-slot="${slot}"]`), slot).not.toBeNull();
    }
  });

  it('with nonce: no style attributes, one <style nonce> scoped to the root', () => {
    render(<LivenessAssets endpoint={ENDPOINT} nonce="n0nce" theme={{ accent: 'red' }} />);
    const root = document.querySelector('[data-liveness-assets]')!;
    expect(root.querySelectorAll('[style]')).toHaveLength(0);
    expect(root.hasAttribute('style')).toBe(false);
    const sheet = root.querySelector('style')!;
    expect(sheet).toHaveAttribute('nonce', 'n0nce');
    expect(sheet.textContent).toContain('--liveness-accent:red');
    expect(sheet.textContent).toContain('[data-slot=fileInput]');
  });

  it('renders on a server without touching window, and hydrates without a mismatch', async () => {
    const html = renderToString(<LivenessAssets endpoint={ENDPOINT} />);
    expect(html).toContain('data-liveness-assets');
    expect(html).toContain('data-state="idle"');
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.appendChild(container);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { hydrateRoot } = await import('react-dom/client');
    await act(async () => {
      hydrateRoot(container, <LivenessAssets endpoint={ENDPOINT} />);
    });
    expect(errors).not.toHaveBeenCalled();
    container.remove();
  });

  it('under StrictMode a picked file is uploaded once', async () => {
    render(
      <StrictMode>
        <LivenessAssets endpoint={ENDPOINT} pollIntervalMs={20} />
      </StrictMode>,
    );
    await pick();
    await waitFor(() => expect(screen.getByRole('listitem')).toHaveAttribute('data-state', 'active'));
    expect(uploads).toHaveLength(1);
  });

  it('several files at once with multiple: each checked and uploaded one after another', async () => {
    render(<LivenessAssets endpoint={ENDPOINT} multiple pollIntervalMs={20} />);
    const input = screen.getByLabelText(en.chooseButtonWithVideo) as HTMLInputElement;
    await userEvent.upload(input, [photo(files.png(600, 800), 'a.png'), photo(files.svgWithScript(), 'b.svg'), photo(files.jpeg(800, 1000), 'c.jpg', 'image/jpeg')], { applyAccept: false });
    await waitFor(() => expect(screen.getAllByRole('listitem').map((item) => item.getAttribute('data-state'))).toEqual(['active', 'rejected', 'active']));
    expect(uploads).toHaveLength(2);
    expect(new Set(uploads.map((upload) => upload.key)).size).toBe(2);
  });
});
