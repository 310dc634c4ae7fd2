import { useEffect, useState, useSyncExternalStore } from 'react';
import { LivenessAssetsController, type LivenessAssetsOptions, type LivenessAssetsSnapshot } from '../../core/assets/LivenessAssetsController.js';

/** Options of {@link useLivenessAssets}. */
export type UseLivenessAssetsOptions = LivenessAssetsOptions;

export type UseLivenessAssetsResult = LivenessAssetsSnapshot;

/**
 * The headless half of `<LivenessAssets>`: the list of files the person picked and what became of
 * each (checked, uploaded with progress, then `processing` → `active` or `failed`), with `add`,
 * `retry` and `remove`. Nothing is sent until `add` is called. The work is core's
 * `LivenessAssetsController`; this hook only connects it to React.
 */
export function useLivenessAssets(options: UseLivenessAssetsOptions): UseLivenessAssetsResult {
  const [controller] = useState(() => new LivenessAssetsController(options));
  // Only committed options reach the controller; its first subscriber (below) mounts it.
  useEffect(() => controller.setOptions(options));
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getServerSnapshot);
}
