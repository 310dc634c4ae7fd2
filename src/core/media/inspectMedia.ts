import type { AssetRejectionReason } from '../wire/assetProtocol.js';
import {
  bmpComplete,
  bmpHeader,
  gifComplete,
  gifHeader,
  jpegComplete,
  jpegHeader,
  pngComplete,
  pngHeader,
  tiffComplete,
  tiffHeader,
  webpComplete,
  webpHeader,
  type HeaderAnswer,
  type MediaHeader,
} from './imageHeader.js';
import { boxesComplete, heifHeader, movieHeader } from './isoBmff.js';
import { kindOf, MEDIA_MIME, sniffFormat, SNIFF_BYTES, type AssetKind, type MediaFormat } from './mediaFormat.js';

/** What the bytes of a file say about it, without decoding a pixel or a frame. */
export interface MediaInfo extends MediaHeader {
  format: MediaFormat;
  kind: AssetKind;
  mime: string;
}

/**
 * The answer of {@link inspectMedia}: the file's info, `more` when the bytes so far are not enough to
 * tell (only before the whole file is in), or why it cannot be one of the accepted files.
 */
export type MediaInspection =
  | { ok: true; info: MediaInfo }
  | { ok: false; more: true; format?: MediaFormat }
  | { ok: false; more?: false; reason: Extract<AssetRejectionReason, 'unsupported_type' | 'unreadable' | 'truncated' | 'empty'>; format?: MediaFormat };

function header(format: MediaFormat, bytes: Uint8Array, total: number): HeaderAnswer {
  switch (format) {
    case 'jpeg':
      return jpegHeader(bytes);
    case 'png':
      return pngHeader(bytes);
    case 'gif':
      return gifHeader(bytes);
    case 'webp':
      return webpHeader(bytes);
    case 'bmp':
      return bmpHeader(bytes);
    case 'tiff':
      return tiffHeader(bytes);
    case 'heic':
    case 'heif':
      return heifHeader(bytes, total);
    default:
      return movieHeader(bytes, total);
  }
}

function complete(format: MediaFormat, bytes: Uint8Array): boolean {
  switch (format) {
    case 'jpeg':
      return jpegComplete(bytes);
    case 'png':
      return pngComplete(bytes);
    case 'gif':
      return gifComplete(bytes);
    case 'webp':
      return webpComplete(bytes);
    case 'bmp':
      return bmpComplete(bytes);
    case 'tiff':
      return tiffComplete(bytes);
    default:
      return boxesComplete(bytes);
  }
}

/**
 * Reads a file's format (by its magic bytes), its size in pixels and, for a video, its length and frame
 * rate, from its headers alone: the same code judges a file in the browser before it is sent and on the
 * server when it arrives, so both say the same.
 *
 * `bytes` are the first bytes of a file of `total` bytes (all of it when `bytes.length === total`). With
 * only a part, the answer may be `more`: the header lies further in (a JPEG's frame after large EXIF
 * or ICC segments, a TIFF's directory or an MP4's `moov` at the end). With the whole file it also
 * checks that the file is not cut short: a JPEG's end marker, a PNG's IEND chunk, a GIF's trailer, the
 * sizes in RIFF (WebP) and BMP headers, a TIFF's strips or tiles, the top-level boxes of HEIF and MP4/MOV.
 * What it does not check: that the compressed data inside decodes (that needs a decoder; the upstream
 * has one and answers `invalid_media`).
 */
export function inspectMedia(bytes: Uint8Array, total: number = bytes.length): MediaInspection {
  const whole = bytes.length >= total;
  if (total === 0) return { ok: false, reason: 'empty' };
  const format = sniffFormat(bytes.subarray(0, SNIFF_BYTES));
  if (!format) return !whole && bytes.length < SNIFF_BYTES ? { ok: false, more: true } : { ok: false, reason: 'unsupported_type' };
  const answer = header(format, bytes, total);
  if (answer === 'more') return whole ? { ok: false, reason: 'truncated', format } : { ok: false, more: true, format };
  if (answer === undefined) return { ok: false, reason: 'unreadable', format };
  if (whole && !complete(format, bytes)) return { ok: false, reason: 'truncated', format };
  return { ok: true, info: { format, kind: kindOf(format), mime: MEDIA_MIME[format], ...answer } };
}
