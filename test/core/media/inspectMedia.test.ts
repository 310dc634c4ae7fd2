// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { inspectMedia, type MediaInspection } from '../../../src/core/media/inspectMedia.js';
import { judgeMedia, LIVENESS_FACE_LIMITS } from '../../../src/core/media/assetLimits.js';
import { sniffFormat } from '../../../src/core/media/mediaFormat.js';
import * as files from '../../media/mediaFiles.js';

const info = (result: MediaInspection) => {
  if (!result.ok) throw new Error(`not ok: ${JSON.stringify(result)}`);
  return result.info;
};

describe('inspectMedia: the format from the bytes, the size from the header', () => {
  it.each([
    ['PNG', files.png(640, 480), 'png', 'image/png', 640, 480],
    ['JPEG (baseline)', files.jpeg(1200, 1600), 'jpeg', 'image/jpeg', 1200, 1600],
    ['JPEG (progressive, after 200 KB of EXIF)', files.jpeg(3000, 2000, { progressive: true, appBytes: 200_000 }), 'jpeg', 'image/jpeg', 3000, 2000],
    ['GIF', files.gif(500, 400), 'gif', 'image/gif', 500, 400],
    ['WebP (VP8X)', files.webp(1024, 768, 'VP8X'), 'webp', 'image/webp', 1024, 768],
    ['WebP (VP8, lossy)', files.webp(800, 600, 'VP8'), 'webp', 'image/webp', 800, 600],
    ['WebP (VP8L, lossless)', files.webp(700, 900, 'VP8L'), 'webp', 'image/webp', 700, 900],
    ['BMP', files.bmp(320, 400), 'bmp', 'image/bmp', 320, 400],
    ['BMP (top-down, negative height)', files.bmp(320, -400), 'bmp', 'image/bmp', 320, 400],
    ['TIFF (little-endian)', files.tiff(1000, 800), 'tiff', 'image/tiff', 1000, 800],
    ['TIFF (big-endian, directory at the end)', files.tiff(1000, 800, { bigEndian: true, ifdAtEnd: true }), 'tiff', 'image/tiff', 1000, 800],
    ['HEIC (a grid: the primary item’s size, not a tile’s or the thumbnail’s)', files.heic(4032, 3024), 'heic', 'image/heic', 4032, 3024],
    ['HEIF (mif1)', files.heic(2000, 1500, { brand: 'mif1' }), 'heic', 'image/heic', 2000, 1500],
  ])('%s', (_name, bytes, format, mime, width, height) => {
    expect(info(inspectMedia(bytes))).toEqual({ format, kind: 'image', mime, width, height });
  });

  it('HEIC without a primary item: the largest ispe', () => {
    expect(info(inspectMedia(files.heic(4032, 3024, { noPrimary: true })))).toMatchObject({ width: 4032, height: 3024 });
  });

  it('MP4 and MOV: size, length and frame rate, whether moov comes first or last', () => {
    expect(info(inspectMedia(files.mp4({ width: 1280, height: 720, seconds: 5, fps: 30 })))).toEqual({
      format: 'mp4',
      kind: 'video',
      mime: 'video/mp4',
      width: 1280,
      height: 720,
      durationMs: 5000,
      fps: 30,
    });
    expect(info(inspectMedia(files.mp4({ moovLast: true, seconds: 12, fps: 60, brand: 'qt  ' })))).toMatchObject({ format: 'mov', mime: 'video/quicktime', durationMs: 12_000, fps: 60 });
  });

  it.each([
    ['an SVG with a script', files.svgWithScript()],
    ['an HTML page', files.html()],
    ['a ZIP', files.zip()],
    ['a PDF', files.pdf()],
    ['noise', files.noise()],
    ['an AVIF (shares HEIF’s mif1, not a documented format)', files.heic(1000, 1000, { brand: 'avif' })],
    ['"BM" followed by text', new TextEncoder().encode('BM is not a bitmap header, it is text that happens to start so')],
  ])('refuses %s as unsupported_type', (_name, bytes) => {
    expect(inspectMedia(bytes)).toMatchObject({ ok: false, reason: 'unsupported_type' });
  });

  it.each([
    ['a JPEG without its end marker', files.jpeg(800, 800, { truncate: true }), 'jpeg'],
    ['a PNG cut inside its pixel data', files.png(800, 800, { truncate: 500 }), 'png'],
    ['a GIF without its trailer', files.gif(800, 800, { truncate: true }), 'gif'],
    ['a WebP shorter than its RIFF size', files.webp(800, 800, 'VP8X', { truncate: true }), 'webp'],
    ['a BMP shorter than its file header says', files.bmp(400, 400, { truncate: true }), 'bmp'],
    ['a TIFF whose strip runs past the end', files.tiff(800, 800, { truncate: true }), 'tiff'],
    ['a HEIC whose mdat runs past the end', files.heic(800, 800, { truncate: true }), 'heic'],
    ['an MP4 whose mdat runs past the end', files.mp4({ truncate: true }), 'mp4'],
    ['an MP4 cut before its moov (written last)', files.mp4({ moovLast: true }).subarray(0, 8300), 'mp4'],
  ])('refuses %s as truncated', (_name, bytes, format) => {
    expect(inspectMedia(bytes)).toMatchObject({ ok: false, reason: 'truncated', format });
  });

  it('a JPEG cut before its frame header is truncated, one whose scan comes first is unreadable', () => {
    expect(inspectMedia(files.jpeg(800, 800, { appBytes: 100_000 }).subarray(0, 50_000))).toMatchObject({ ok: false, reason: 'truncated' });
    const noFrame = files.concat([0xff, 0xd8], [0xff, 0xfe, 0, 6, 0x41, 0x42, 0x43, 0x44], [0xff, 0xda, 0, 4, 0, 0], [0xff, 0xd9]);
    expect(inspectMedia(noFrame)).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('an MP4 with audio only is unreadable as a video', () => {
    expect(inspectMedia(files.mp4({ audioOnly: true }))).toMatchObject({ ok: false, reason: 'unreadable', format: 'mp4' });
  });

  it('an empty file is empty', () => {
    expect(inspectMedia(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty' });
  });

  describe('with only the first bytes of a longer file', () => {
    it('asks for more until the header is in, then answers without the rest', () => {
      const bytes = files.jpeg(1600, 1200, { appBytes: 300_000 });
      expect(inspectMedia(bytes.subarray(0, 8), bytes.length)).toEqual({ ok: false, more: true });
      expect(inspectMedia(bytes.subarray(0, 100_000), bytes.length)).toEqual({ ok: false, more: true, format: 'jpeg' });
      expect(info(inspectMedia(bytes.subarray(0, 310_000), bytes.length))).toMatchObject({ width: 1600, height: 1200 });
    });

    it('a PNG header claiming 100 000 × 100 000 is read from its first 24 bytes', () => {
      const bytes = files.png(100_000, 100_000);
      expect(info(inspectMedia(bytes.subarray(0, 24), 40_000_000))).toMatchObject({ width: 100_000, height: 100_000 });
    });

    it('a TIFF with its directory at the end, and an MP4 with moov last, need the whole file', () => {
      const tiff = files.tiff(1000, 800, { ifdAtEnd: true });
      expect(inspectMedia(tiff.subarray(0, 1024), tiff.length)).toMatchObject({ ok: false, more: true, format: 'tiff' });
      const movie = files.mp4({ moovLast: true });
      expect(inspectMedia(movie.subarray(0, 4096), movie.length)).toMatchObject({ ok: false, more: true, format: 'mp4' });
    });
  });

  it('sniffs by bytes only: a PNG is a PNG whatever it was called', () => {
    expect(sniffFormat(files.pngNamedJpeg())).toBe('png');
  });
});

describe('judgeMedia: the upstream’s limits', () => {
  const judge = (bytes: Uint8Array) => judgeMedia(info(inspectMedia(bytes)), bytes.length, LIVENESS_FACE_LIMITS);

  it.each([
    ['300 × 300 (the smallest)', files.png(300, 300)],
    ['6000 × 2400 (the longest side, ratio 2.5)', files.jpeg(6000, 2400)],
    ['800 × 2000 (ratio 0.4)', files.jpeg(800, 2000)],
    ['a 2 s video at 24 fps', files.mp4({ seconds: 2, fps: 24 })],
    ['a 15 s video at 59.94 fps', files.mp4({ seconds: 15, fps: 59.94 })],
  ])('accepts %s', (_name, bytes) => {
    expect(judge(bytes)).toBeUndefined();
  });

  it.each([
    ['10 000 × 10 px', 'dimensions_too_small', files.png(10_000, 10)],
    ['299 × 600 px', 'dimensions_too_small', files.png(299, 600)],
    ['6001 × 3000 px', 'dimensions_too_large', files.jpeg(6001, 3000)],
    ['a PNG header claiming 100 000 × 100 000', 'dimensions_too_large', files.png(100_000, 100_000)],
    ['3000 × 1000 (ratio 3)', 'aspect_ratio', files.jpeg(3000, 1000)],
    ['a 1 s video', 'duration', files.mp4({ seconds: 1 })],
    ['a 16 s video', 'duration', files.mp4({ seconds: 16 })],
    ['a 120 fps video', 'frame_rate', files.mp4({ fps: 120 })],
    ['a 15 fps video', 'frame_rate', files.mp4({ fps: 15 })],
  ])('refuses %s: %s', (_name, reason, bytes) => {
    expect(judge(bytes)).toMatchObject({ reason });
  });

  it('caps bytes per kind: 30 MB for images, 50 MB for videos', () => {
    const image = info(inspectMedia(files.png(600, 800)));
    expect(judgeMedia(image, 30_000_000, LIVENESS_FACE_LIMITS)).toBeUndefined();
    expect(judgeMedia(image, 30_000_001, LIVENESS_FACE_LIMITS)).toEqual({ reason: 'file_too_large', format: 'png', kind: 'image', size: 30_000_001, maxBytes: 30_000_000 });
    const video = info(inspectMedia(files.mp4()));
    expect(judgeMedia(video, 40_000_000, LIVENESS_FACE_LIMITS)).toBeUndefined();
    expect(judgeMedia(video, 50_000_001, LIVENESS_FACE_LIMITS)).toMatchObject({ reason: 'file_too_large', maxBytes: 50_000_000 });
  });
});
