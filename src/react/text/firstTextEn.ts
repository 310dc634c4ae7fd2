import type { FirstTextKey, LivenessDisplayText } from './LivenessDisplayText.js';

// The English of the views a page shows first (start, loading, the code or link, and the error view's
// heading and button): in the component's up-front code. The rest is laterTextEn.ts.
export const firstTextEn: Pick<LivenessDisplayText, FirstTextKey> = {
  title: 'Verify that it’s you',
  creatingText: 'Preparing a secure verification link…',
  qrInstruction: 'Scan this code with your phone’s camera, then follow the steps on your phone.',
  qrLabel: 'QR code that opens the verification page on your phone',
  openOnThisDeviceLink: 'Or open the check on this device',
  linkInstruction: 'You will need your camera. When you finish, you come back here.',
  linkInstructionNewTab: 'You will need your camera. The check opens in a new tab.',
  linkButton: 'Start verification',
  startButton: 'Start verification',
  readyAnnouncement: 'Your verification link is ready.',
  retryButton: 'Try again',
  errorTitle: 'Verification could not start',
  refreshingText: 'The code expired. Getting a new one…',
};
