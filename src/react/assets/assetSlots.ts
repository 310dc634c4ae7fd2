/** Named parts of `<LivenessAssets>`; each gets `data-slot="<name>"` and a class from `classNames`. */
export type LivenessAssetsSlot =
  | 'root'
  | 'title'
  | 'instruction'
  | 'actions'
  | 'chooseButton'
  | 'takePhotoButton'
  | 'fileInput'
  | 'list'
  | 'item'
  | 'fileName'
  | 'progress'
  | 'itemStatus'
  | 'advice'
  | 'retryButton'
  | 'removeButton'
  | 'liveRegion';

export type LivenessAssetsClassNames = Partial<Record<LivenessAssetsSlot, string>>;

/** Props for one slot: its data attribute and the app's class for it. */
export function assetSlot(name: LivenessAssetsSlot, classNames: LivenessAssetsClassNames | undefined): { 'data-slot': LivenessAssetsSlot; className?: string } {
  const className = classNames?.[name];
  return className ? { 'data-slot': name, className } : { 'data-slot': name };
}
