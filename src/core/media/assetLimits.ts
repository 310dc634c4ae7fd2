import type { AssetRejectionReason } from '../wire/assetProtocol.js';
import type { AssetKind, MediaFormat } from './mediaFormat.js';
import type { MediaInfo } from './inspectMedia.js';

/**
 * What a LivenessFace asset may be. The defaults are the upstream's, from Anyfast's public docs
 * (checked 2026-12-07): images < 30 MB, each side 300–6000 px, aspect ratio 0.4–2.5 (documented);
 * videos < 50 MB, 2–15 s, 24–60 fps (documented), "480p/720p" (documented, but with no rule for other
 * sizes: not checked here; an upstream refusal shows as `failed` with `invalid_media`).
 */
export interface AssetLimits {
  /** Largest image, in bytes. @default 30000000 */
  maxImageBytes: number;
  /** Largest video, in bytes. @default 50000000 */
  maxVideoBytes: number;
  /** Shortest side of an image, in pixels. @default 300 */
  minSide: number;
  /** Longest side of an image, in pixels. @default 6000 */
  maxSide: number;
  /** Narrowest image (width ÷ height). @default 0.4 */
  minRatio: number;
  /** Widest image (width ÷ height). @default 2.5 */
  maxRatio: number;
  /** Shortest video, in milliseconds. @default 2000 */
  minDurationMs: number;
  /** Longest video, in milliseconds. @default 15000 */
  maxDurationMs: number;
  /** Lowest video frame rate. @default 23.5 (24 fps film is often 23.976) */
  minFps: number;
  /** Highest video frame rate. @default 60.5 (60 fps video is often 59.94) */
  maxFps: number;
}

/**
 * The upstream's limits. "< 30 MB" and "< 50 MB" are read as decimal megabytes, the smaller reading
 * (MiB would allow 1.4 MB more): a file refused here would have been at risk upstream. The frame-rate
 * range is widened by half a frame so NTSC rates (23.976, 59.94) pass: inferred, not documented.
 */
export const LIVENESS_FACE_LIMITS: Readonly<AssetLimits> = {
  maxImageBytes: 30_000_000,
  maxVideoBytes: 50_000_000,
  minSide: 300,
  maxSide: 6000,
  minRatio: 0.4,
  maxRatio: 2.5,
  minDurationMs: 2000,
  maxDurationMs: 15_000,
  minFps: 23.5,
  maxFps: 60.5,
};

/** Why a file cannot be an asset, with the numbers a person needs to fix it. */
export interface AssetRejection {
  reason: AssetRejectionReason;
  format?: MediaFormat;
  kind?: AssetKind;
  /** The file's size in bytes, and the cap it passed (`file_too_large`). */
  size?: number;
  maxBytes?: number;
  width?: number;
  height?: number;
  durationMs?: number;
  fps?: number;
}

/** The byte cap for a kind of asset. */
export function maxBytesFor(kind: AssetKind, limits: AssetLimits): number {
  return kind === 'video' ? limits.maxVideoBytes : limits.maxImageBytes;
}

/**
 * Judges what {@link inspectMedia} read against the limits: `undefined` when the file may be sent. A
 * header read from the first bytes may be judged before the rest arrives (a PNG claiming 100 000 px is
 * refused without reading its pixels); `size` is then the bytes so far and only its cap is checked.
 */
export function judgeMedia(info: MediaInfo, size: number, limits: AssetLimits): AssetRejection | undefined {
  const { format, kind, width, height, durationMs, fps } = info;
  const maxBytes = maxBytesFor(kind, limits);
  if (size > maxBytes) return { reason: 'file_too_large', format, kind, size, maxBytes };
  const base = { format, kind, ...(width ? { width } : {}), ...(height ? { height } : {}) };
  if (kind === 'image' && width && height) {
    if (Math.min(width, height) < limits.minSide) return { reason: 'dimensions_too_small', ...base };
    if (Math.max(width, height) > limits.maxSide) return { reason: 'dimensions_too_large', ...base };
    const ratio = width / height;
    if (ratio < limits.minRatio || ratio > limits.maxRatio) return { reason: 'aspect_ratio', ...base };
  }
  if (kind === 'video') {
    if (durationMs !== undefined && (durationMs < limits.minDurationMs || durationMs > limits.maxDurationMs)) return { reason: 'duration', ...base, durationMs };
    if (fps !== undefined && (fps < limits.minFps || fps > limits.maxFps)) return { reason: 'frame_rate', ...base, fps };
  }
  return undefined;
}
