/**
 * The JSON of the reference-asset routes (after `verified`), between the browser half
 * (`react-liveness-session/assets`) and the `/server` handler. Like the session protocol, every
 * optional field is optional on purpose: a backend that sends less still works.
 *
 * - `POST {basePath}/assets`: `multipart/form-data` with one part `file` (and an optional
 *   `Idempotency-Key` header) → `202 CreateAssetResponse`.
 * - `GET {statusUrl}` → `200 AssetStatusResponse`; `GET {eventsUrl}` → `text/event-stream` of the same.
 * - errors: `{ error: { code, message, reason? } }`; `reason` (an {@link AssetRejectionReason}) says why
 *   a file was refused (413, 415, 422).
 */

/** Where an asset is: being checked by the upstream, usable, or refused. */
export const AssetStatus = {
  processing: 'processing',
  active: 'active',
  failed: 'failed',
} as const;
export type AssetStatus = (typeof AssetStatus)[keyof typeof AssetStatus];

/**
 * Why the upstream refused an asset it had accepted for processing: `face_mismatch` (the face is not
 * the verified person's: the upstream's `FaceMismatch`), `invalid_media` (it could not use the file),
 * `unknown` (anything else, or no decision in time).
 */
export const AssetFailureReason = {
  faceMismatch: 'face_mismatch',
  invalidMedia: 'invalid_media',
  unknown: 'unknown',
} as const;
export type AssetFailureReason = (typeof AssetFailureReason)[keyof typeof AssetFailureReason];

/**
 * Why a file was refused before it reached the upstream (by the browser's check, and again by the
 * server): its type, its size, its pixels, its length or frame rate, or bytes that are not what they claim.
 */
export const AssetRejectionReason = {
  /** Not one of the accepted formats, judged by its bytes (an SVG, a PDF, a renamed file…). */
  unsupportedType: 'unsupported_type',
  /** More bytes than the format's cap. */
  fileTooLarge: 'file_too_large',
  /** No bytes at all. */
  empty: 'empty',
  /** The header of a known format that cannot be read (its size cannot be found). */
  unreadable: 'unreadable',
  /** The file ends before its format says it does (an interrupted copy or download). */
  truncated: 'truncated',
  /** A side shorter than the minimum. */
  dimensionsTooSmall: 'dimensions_too_small',
  /** A side longer than the maximum. */
  dimensionsTooLarge: 'dimensions_too_large',
  /** Too narrow or too wide (width ÷ height outside the allowed range). */
  aspectRatio: 'aspect_ratio',
  /** A video shorter or longer than allowed. */
  duration: 'duration',
  /** A video's frame rate outside the allowed range. */
  frameRate: 'frame_rate',
} as const;
export type AssetRejectionReason = (typeof AssetRejectionReason)[keyof typeof AssetRejectionReason];

/** 202 answer of `POST {basePath}/assets`. */
export interface CreateAssetResponse {
  /** The upstream asset's `Id`: what Seedance 2.0 requests reference as `asset://<assetId>`. */
  assetId: string;
  /** Where the browser reads the asset's status. */
  statusUrl: string;
  /** A `text/event-stream` of status answers (the current one first). */
  eventsUrl?: string;
  status?: AssetStatus;
}

/** 200 answer of `GET {statusUrl}` (and each event of `eventsUrl`). */
export interface AssetStatusResponse {
  assetId: string;
  status: AssetStatus;
  /** Why, once `failed`. */
  reason?: AssetFailureReason;
  type?: 'image' | 'video';
}

/** Body of a non-2xx answer of the asset routes. */
export interface AssetErrorResponseBody {
  error: { code: string; message: string; reason?: AssetRejectionReason };
}
