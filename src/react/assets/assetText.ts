import type { LivenessAssetItem } from '../../core/assets/LivenessAssetsController.js';
import type { AssetLimits } from '../../core/media/assetLimits.js';
import type { AssetKind } from '../../core/media/mediaFormat.js';
import type { LivenessError } from '../../core/LivenessError.js';
import type { LivenessAssetsDisplayText } from './assetsDisplayText.js';

/** `{name}`-style placeholders filled in (unknown ones left as they are). */
export function fill(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

/** "42.1 MB", "850 KB": decimal units, as the limits are stated. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} KB`;
  return `${bytes} B`;
}

function formats(types: readonly AssetKind[]): string {
  return [...(types.includes('image') ? ['JPG', 'PNG', 'HEIC', 'WebP', 'GIF', 'BMP', 'TIFF'] : []), ...(types.includes('video') ? ['MP4', 'MOV'] : [])].join(', ');
}

/** The sentence for an upload that did not go through: chosen by status and code, never taken from the server. */
export function uploadErrorText(error: LivenessError | undefined, text: LivenessAssetsDisplayText): string {
  if (!error) return text.serverError;
  if (error.code === 'network') return text.networkError;
  if (error.code === 'timeout') return text.timeoutError;
  if (error.serverCode === 'upstream_group_not_found') return text.groupNotFoundError;
  if (error.status === 429 || error.status === 503) return text.rateLimitedError;
  if (error.status === 401 || error.status === 403) return text.unauthorizedError;
  if (error.status === 404) return text.notVerifiedError;
  return text.serverError;
}

/** What an item's row says: its status, and for a refusal what to do about it. */
export function itemText(item: LivenessAssetItem, text: LivenessAssetsDisplayText, types: readonly AssetKind[], limits: AssetLimits): { status: string; advice?: string } {
  switch (item.state) {
    case 'checking':
      return { status: text.checkingText };
    case 'uploading':
      return { status: item.progress === undefined ? text.uploadingIndeterminateText : fill(text.uploadingText, { percent: Math.round(item.progress * 100) }) };
    case 'processing':
      return { status: text.processingText };
    case 'active':
      return { status: text.activeText };
    case 'failed': {
      const key = item.reason === 'face_mismatch' ? 'FaceMismatch' : item.reason === 'invalid_media' ? 'InvalidMedia' : 'Unknown';
      return { status: text[`failed${key}Text`], advice: text[`failed${key}Advice`] };
    }
    case 'error':
      return { status: uploadErrorText(item.error, text) };
    default: {
      const rejection = item.rejection ?? { reason: 'unreadable' as const };
      // `dimensions_too_small` → `rejectedDimensionsTooSmall`
      const key = `rejected${rejection.reason.replace(/(^|_)(\w)/g, (_, __, letter: string) => letter.toUpperCase())}` as 'rejectedEmpty';
      const kind = rejection.kind ?? item.info?.kind ?? 'image';
      const values = {
        name: item.file.name,
        size: formatBytes(rejection.size ?? item.file.size),
        max: rejection.reason === 'file_too_large' ? formatBytes(rejection.maxBytes ?? (kind === 'video' ? limits.maxVideoBytes : limits.maxImageBytes)) : limits.maxSide,
        min: rejection.reason === 'duration' ? limits.minDurationMs / 1000 : limits.minSide,
        width: rejection.width,
        height: rejection.height,
        seconds: rejection.durationMs === undefined ? undefined : Math.round(rejection.durationMs / 100) / 10,
        fps: rejection.fps,
        formats: formats(types),
      };
      if (rejection.reason === 'duration') values.max = limits.maxDurationMs / 1000;
      return { status: fill(text[`${key}Text`], values), advice: fill(text[`${key}Advice`], values) };
    }
  }
}
