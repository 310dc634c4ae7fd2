'use client';
// react-liveness-session/assets: after `verified`, the person's reference photos (or short videos) into
// their LivenessFace group. An entry of its own: pages that only verify never download it, and it adds
// nothing to <LivenessSession>'s bundle.
export { LivenessAssets } from './react/assets/LivenessAssets.js';
export type { LivenessAssetsProps } from './react/assets/LivenessAssets.js';
export { useLivenessAssets } from './react/assets/useLivenessAssets.js';
export type { UseLivenessAssetsOptions, UseLivenessAssetsResult } from './react/assets/useLivenessAssets.js';
export { AssetItemState } from './core/assets/LivenessAssetsController.js';
export type { LivenessAssetItem, LivenessAssetsOptions, LivenessAssetsSnapshot } from './core/assets/LivenessAssetsController.js';
export { defaultAssetsDisplayTextEn } from './react/assets/assetsDisplayText.js';
export type { LivenessAssetsDisplayText, LivenessAssetsLocaleData } from './react/assets/assetsDisplayText.js';
export type { LivenessAssetsClassNames, LivenessAssetsSlot } from './react/assets/assetSlots.js';
export { LIVENESS_FACE_LIMITS } from './core/media/assetLimits.js';
export type { AssetLimits, AssetRejection } from './core/media/assetLimits.js';
export type { AssetKind, MediaFormat } from './core/media/mediaFormat.js';
export type { MediaInfo } from './core/media/inspectMedia.js';
export { AssetFailureReason, AssetRejectionReason, AssetStatus } from './core/wire/assetProtocol.js';
export type { AssetErrorResponseBody, AssetStatusResponse, CreateAssetResponse } from './core/wire/assetProtocol.js';
