import { useSyncExternalStore } from 'react';
import { detectMobile } from './detectMobile.js';

/** How the link is presented: a QR code to scan with a phone, or a button to tap on this device. */
export type LivenessMode = 'qr' | 'link';

// The device does not change while the page is open: nothing to subscribe to.
const noSubscription = () => () => {};
const detectedMode = (): LivenessMode => (detectMobile() ? 'link' : 'qr');
const notOnTheServer = () => undefined;

/**
 * The mode to render. `auto` reads the browser's `navigator` on the client only: the server render and
 * the hydrating render see `undefined` (React renders again with the browser's answer after hydrating),
 * so hydration never mismatches; a render that is not a hydration knows the mode at once.
 */
export function useDisplayMode(mode: LivenessMode | 'auto'): LivenessMode | undefined {
  const detected = useSyncExternalStore(noSubscription, detectedMode, notOnTheServer);
  return mode === 'auto' ? detected : mode;
}
