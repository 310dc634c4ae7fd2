import { judgeMedia, maxBytesFor, type AssetLimits, type AssetRejection } from '../media/assetLimits.js';
import { inspectMedia, type MediaInfo } from '../media/inspectMedia.js';
import type { AssetKind } from '../media/mediaFormat.js';

/** How much of a file is read first: enough for every header but a TIFF's or MP4's written last. */
const HEAD_BYTES = 1024 * 1024;

export type AssetFileCheck = { ok: true; info: MediaInfo } | { ok: false; rejection: AssetRejection };

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Checks a file the person picked before a byte of it is sent, with the server's own rules (type by
 * its magic bytes, size per type, pixels, aspect ratio, a video's length and frame rate): it reads the
 * first megabyte, and the whole file only when its header lies further in (a TIFF's directory or an
 * MP4's `moov` written last), never a file over its type's cap. Whether a file is cut short is checked
 * here when all of it was read (files up to 1 MB, and those); the server checks it for every file.
 * Loaded when first needed: pages that never pick a file never download the parsers.
 */
export async function checkAssetFile(file: Blob, limits: AssetLimits, types: readonly AssetKind[]): Promise<AssetFileCheck> {
  const size = file.size;
  const reject = (rejection: AssetRejection): AssetFileCheck => ({ ok: false, rejection });
  let inspected = inspectMedia(await bytesOf(file.slice(0, HEAD_BYTES)), size);
  const format = inspected.ok ? inspected.info.format : inspected.format;
  const kind = inspected.ok ? inspected.info.kind : format === 'mp4' || format === 'mov' ? 'video' : format ? 'image' : undefined;
  if (!inspected.ok && !inspected.more) return reject({ reason: inspected.reason, ...(format ? { format } : {}) });
  if (kind && !types.includes(kind)) return reject({ reason: 'unsupported_type', ...(format ? { format, kind } : {}) });
  if (kind && size > maxBytesFor(kind, limits)) return reject({ reason: 'file_too_large', ...(format ? { format } : {}), kind, size, maxBytes: maxBytesFor(kind, limits) });
  // The header lies past the first megabyte: read on (the file is under its cap, checked above).
  if (!inspected.ok) inspected = inspectMedia(await bytesOf(file), size);
  if (!inspected.ok) return reject({ reason: inspected.more ? 'truncated' : inspected.reason, ...(format ? { format } : {}) });
  const rejection = judgeMedia(inspected.info, size, limits);
  return rejection ? reject(rejection) : { ok: true, info: inspected.info };
}
