// The public shape of the display text: one key per string a person sees or hears.

/** Locales with complete display text: `en` is built in, the others come from `react-liveness-session/locales`. */
export type LivenessLocale = 'en' | 'zh-CN' | 'zh-TW';

/**
 * A locale: its code (the `lang` attribute and the H5 page's `lng`) and its display text, the
 * send-link form's included. Import the ones you need from `react-liveness-session/locales`, so an app
 * ships only its own languages.
 */
export interface LivenessLocaleData {
  code: LivenessLocale;
  displayText: LivenessDisplayText & LivenessSendLinkText;
}

/**
 * The strings of the form behind "Can't scan? Send the link to your phone" (`sendLinkButton`). Keys are
 * public API, like {@link LivenessDisplayText}'s, and the `displayText` prop overrides them too. The
 * built-in English ones load with the form, which is fetched only when a person opens it; a locale from
 * `react-liveness-session/locales` carries its own.
 */
export interface LivenessSendLinkText {
  /** The form's accessible name. */
  sendLinkTitle: string;
  /** Names the choice of channel (shown when the backend offers both). */
  sendLinkChannelLegend: string;
  /** The text-message choice. */
  sendLinkSmsOption: string;
  /** The e-mail choice. */
  sendLinkEmailOption: string;
  /** Label of the number field: ask for the country code (the number goes out in E.164 form). */
  sendLinkPhoneLabel: string;
  /** Label of the address field. */
  sendLinkEmailLabel: string;
  /** The button that sends the link. */
  sendLinkSubmit: string;
  /** The button's text while the link is being sent. */
  sendLinkSending: string;
  /** Shown and announced once sent; `{to}` becomes the masked number or address (`•••• 0123`, `n•••@example.com`). */
  sendLinkSentText: string;
  /** The number is not one the link can be sent to (no country code, letters, two numbers). */
  sendLinkInvalidPhone: string;
  /** The address is not one plain e-mail address. */
  sendLinkInvalidEmail: string;
  /** Sent as often as it may be (3 times a code), or too many sends from here (HTTP 429). */
  sendLinkRateLimited: string;
  /** The link can no longer be sent: a phone opened it, or the code ended (HTTP 409). */
  sendLinkUnavailable: string;
  /** The app's sender failed, or anything else went wrong. */
  sendLinkFailed: string;
}

/**
 * Every string a person sees or hears. Keys are public API: override any of them with the
 * `displayText` prop. English is built in; other locales are in `react-liveness-session/locales`.
 */
export interface LivenessDisplayText {
  /** Heading above the code or button. */
  title: string;
  /** Shown while the session is being created; also announced. */
  creatingText: string;
  /** Instruction next to the QR code (desktop). */
  qrInstruction: string;
  /** Accessible label of the QR code image. */
  qrLabel: string;
  /** Secondary link under the QR code that opens the check in this browser. */
  openOnThisDeviceLink: string;
  /** Instruction above the button (mobile), when the check opens in this tab (`linkTarget="_self"`, the default on phones). */
  linkInstruction: string;
  /** Instruction above the button (mobile) when the check opens in a new tab (`linkTarget="_blank"`). */
  linkInstructionNewTab: string;
  /** The button that opens the check (mobile). */
  linkButton: string;
  /** Shown while idle (`enabled={false}` or after `reset()`): starts the session. */
  startButton: string;
  /** Announced when the link or code appears. */
  readyAnnouncement: string;
  /** The retry button in the error view. */
  retryButton: string;
  /** Heading of the error view. */
  errorTitle: string;
  /** The device could not reach the server. */
  networkError: string;
  /** The server did not answer in time. */
  timeoutError: string;
  /** Too many attempts (HTTP 429 or 503). */
  rateLimitedError: string;
  /** The person is not signed in or not allowed (HTTP 401 or 403). */
  unauthorizedError: string;
  /** Any other HTTP failure. */
  serverError: string;
  /** The server's answer could not be understood. */
  invalidResponseError: string;
  /** The link failed validation and was withheld. */
  invalidLinkError: string;
  /** The request was cancelled. */
  abortedError: string;
  /** Heading once the backend confirms the check. */
  verifiedTitle: string;
  /** Text once verified. */
  verifiedText: string;
  /** Heading when the check failed. */
  failedTitle: string;
  /** Text when the check failed; the retry button starts a new session. */
  failedText: string;
  /** Heading when the code expired and no automatic refresh is left. */
  expiredTitle: string;
  /** Text when expired. */
  expiredText: string;
  /** Button that creates a new code after expiry. */
  newCodeButton: string;
  /** Shown while an expired code is replaced on its own. */
  refreshingText: string;
  /** Countdown under the code; `{time}` becomes `m:ss`. */
  countdownText: string;
  /** Announced 60, 30 and 10 seconds before expiry; `{seconds}` becomes the number. */
  expiringAnnouncement: string;
  /** Shown in in-app browsers (WeChat and similar), which often cannot use the camera. */
  inAppBrowserHint: string;
  /** Shown above the start button when the person lands here after finishing a check begun elsewhere. */
  finishedElsewhereText: string;
  /** Instead of `finishedElsewhereText` when the server says that check was verified. */
  finishedElsewhereVerifiedText: string;
  /** Instead of `finishedElsewhereText` when the server says that check failed. */
  finishedElsewhereFailedText: string;
  /** Heading once a phone opened the QR code (`opened` with `openedAt`): the code is gone, the phone has the check. */
  openedTitle: string;
  /** Heading once the person opened the link on this device (`opened` without `openedAt`): it runs in a new tab. */
  openedLinkTitle: string;
  /** Text under either `opened` heading; also announced. */
  openedText: string;
  /**
   * Heading when the person is back on this page without finishing a check that opened in this tab
   * (`linkTarget="_self"`: Back from the check, or a reload); the link is offered again.
   */
  openedReturnTitle: string;
  /** Text under `openedReturnTitle`. */
  openedReturnText: string;
  /** The link back into a check opened on this device (`opened` without `openedAt`). */
  continueLinkButton: string;
  /** Replaces `openedText` once the phone reported a passed check and the backend is confirming the result. */
  checkingText: string;
  /** Before the start-again button once a phone opened the code: someone else may have scanned it. */
  notYouText: string;
  /** The quiet button in `opened`: cancels the session and shows a new code or link. */
  startAgainButton: string;
  /** Heading when the check failed because the camera or browser could not be used (`reason: 'device'`). */
  failedDeviceTitle: string;
  /** Advice when `reason` is `device`: allow the camera, or use the phone's own browser. */
  failedDeviceText: string;
  /** Heading when the face check itself did not pass (`reason: 'liveness'`). */
  failedLivenessTitle: string;
  /** Advice when `reason` is `liveness`: light and framing. */
  failedLivenessText: string;
  /**
   * Heading when the result could not be confirmed in time (`reason: 'unconfirmed'`): the person may well
   * have passed, so never word it as a failed face check.
   */
  failedUnconfirmedTitle: string;
  /** Text when `reason` is `unconfirmed`. (`unknown` uses `failedTitle` and `failedText`.) */
  failedUnconfirmedText: string;
  /** The consent step (the `consent` prop, under `title`): what will happen and who processes the face data. */
  consentText: string;
  /** The link to the app's privacy policy (`consent.policyUrl`), opened in a new tab. */
  consentPolicyLink: string;
  /** The button that accepts and starts the verification. */
  consentAcceptButton: string;
  /**
   * Under the QR code, when the backend offers sending the link (`sendUrl`): opens a small form that
   * sends it to the person's phone by SMS or e-mail. The form's own strings are {@link LivenessSendLinkText}.
   */
  sendLinkButton: string;
}

/**
 * Keys of the views a page shows first (start, loading, the code or link, the error view's heading and
 * button). Their English is in the component's up-front code; the rest loads with the
 * views that use it, so a custom loading view sees only these before then.
 */
export type FirstTextKey =
  | 'title'
  | 'creatingText'
  | 'qrInstruction'
  | 'qrLabel'
  | 'openOnThisDeviceLink'
  | 'linkInstruction'
  | 'linkInstructionNewTab'
  | 'linkButton'
  | 'startButton'
  | 'readyAnnouncement'
  | 'retryButton'
  | 'errorTitle'
  | 'refreshingText';
