/** Named parts of the component; each gets `data-slot="<name>"` and a class from `classNames`. */
export type LivenessSlot =
  | 'root'
  | 'title'
  | 'instruction'
  | 'qrCode'
  | 'primaryLink'
  | 'secondaryLink'
  | 'loading'
  | 'spinner'
  | 'error'
  | 'errorMessage'
  | 'button'
  | 'placeholder'
  | 'countdown'
  | 'result'
  | 'hint'
  | 'startAgain'
  | 'policyLink'
  | 'consentAccept'
  | 'liveRegion'
  | 'sendLinkOpen'
  | 'sendLink'
  | 'sendLinkChannel'
  | 'sendLinkInput'
  | 'sendLinkSubmit'
  | 'sendLinkStatus';

export type LivenessClassNames = Partial<Record<LivenessSlot, string>>;

/** Props for one slot: its data attribute and the app's class for it. */
export function slot(name: LivenessSlot, classNames: LivenessClassNames | undefined): { 'data-slot': LivenessSlot; className?: string } {
  const className = classNames?.[name];
  return className ? { 'data-slot': name, className } : { 'data-slot': name };
}
