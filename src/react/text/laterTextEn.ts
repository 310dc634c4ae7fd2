import type { FirstTextKey, LivenessDisplayText } from './LivenessDisplayText.js';

// The English of the views a page shows later, or only sometimes: what an error says, the outcomes and
// the advice for each failure, the expired code, the countdown, the consent step, the in-app browser
// hint and the notes for a check finished elsewhere. The component loads it as a lazy part, with the
// first of those views it is likely to show (lazyParts.ts); `defaultDisplayTextEn` imports it too.
export const laterTextEn: Omit<LivenessDisplayText, FirstTextKey> = {
  networkError: 'We couldn’t reach the server. Check your connection and try again.',
  timeoutError: 'The server took too long to answer. Please try again.',
  rateLimitedError: 'There have been too many attempts. Please wait a moment, then try again.',
  unauthorizedError: 'You are not signed in, or not allowed to verify here. Sign in and try again.',
  serverError: 'Something went wrong on our side. Please try again.',
  invalidResponseError: 'We received an unexpected answer from the server. Please try again.',
  invalidLinkError: 'The verification link could not be trusted, so it was not shown. Please try again.',
  abortedError: 'The request was cancelled. Please try again.',
  verifiedTitle: 'You’re verified',
  verifiedText: 'Thank you. Your identity check is complete.',
  failedTitle: 'Verification didn’t succeed',
  failedText: 'The check could not confirm it’s you. You can try again with a new code.',
  expiredTitle: 'This code has expired',
  expiredText: 'For your security, codes only work for a short time. Get a new one to continue.',
  newCodeButton: 'Get a new code',
  countdownText: 'Expires in {time}',
  expiringAnnouncement: 'The code expires in {seconds} seconds.',
  inAppBrowserHint: 'This app’s browser may not be able to use your camera. If the check doesn’t start, open this page in your phone’s browser (Safari or Chrome).',
  finishedElsewhereText: 'Your check is done. Go back to the tab or device where you started it to continue.',
  finishedElsewhereVerifiedText: 'Your verification is complete. You can close this tab and continue in the one where you started.',
  finishedElsewhereFailedText: 'The check didn’t succeed. Go back to the tab where you started to try again.',
  failedDeviceTitle: 'The camera couldn’t be used',
  failedDeviceText: 'Allow camera access when asked, or open this page in your phone’s own browser.',
  failedLivenessTitle: 'The face check didn’t pass',
  failedLivenessText: 'Try again in bright, even light, with your whole face in the frame.',
  failedUnconfirmedTitle: 'We couldn’t confirm the result',
  failedUnconfirmedText: 'Your check may have passed, but we couldn’t confirm it in time.',
  consentText: 'Next is a short face check with your camera, run and processed by BytePlus for this site.',
  consentPolicyLink: 'How your face data is used',
  consentAcceptButton: 'Agree and continue',
};
