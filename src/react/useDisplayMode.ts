import { useEffect, useState } from 'react';
import { detectMobile } from './detectMobile.js';

/** How the link is presented: a QR code to scan with a phone, or a button to tap on this device. */
export type LivenessMode = 'qr' | 'link';

/**
 * The mode to render. `auto` is decided after mount, so the server and the first client render agree
 * (both `undefined`) and hydration never mismatches.
 */
export function useDisplayMode(mode: LivenessMode | 'auto'): LivenessMode | undefined {
  const [detected, setDetected] = useState<LivenessMode | undefined>(undefined);
  useEffect(() => {
    if (mode === 'auto') setDetected(detectMobile() ? 'link' : 'qr');
  }, [mode]);
  return mode === 'auto' ? detected : mode;
}
