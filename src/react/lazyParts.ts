import { lazyPart } from './lazyPart.js';

// The component's lazily loaded parts: code and English text that a page shows only later, or only
// sometimes, each its own chunk in an app's build. The component loads each as soon as its state makes
// it likely (`preload` in LivenessSession.tsx) and renders it without suspending once it is there
// (lazyPart.ts); until then, a placeholder of the view's own. CONTRIBUTING.md: "a lazily loaded view".

/** The QR encoder (qrcode.react, ~6 kB gzip): a phone in link mode never downloads it. */
export const qrCodeImage = /* @__PURE__ */ lazyPart(() => import('./views/QrCodeImage.js'));

/**
 * The English of the views shown later (`defaultDisplayTextEn` without the first views' strings).
 * Loaded with any of those views when the text is the built-in English; locale data is complete.
 */
export const laterText = /* @__PURE__ */ lazyPart(() => import('./text/laterTextEn.js'));

/** The view once the person has the check (`opened`): "Continue on your phone", "Not you? Start again". */
export const openedView = /* @__PURE__ */ lazyPart(() => import('./views/OpenedView.js'));

/** The verified, failed (with its advice) and expired views. */
export const outcomeView = /* @__PURE__ */ lazyPart(() => import('./views/OutcomeView.js'));

/** What the error view says about the error; its heading and retry button are up front. */
export const errorMessage = /* @__PURE__ */ lazyPart(() => import('./text/errorMessage.js'));

/** The consent step (`consent`). */
export const consentView = /* @__PURE__ */ lazyPart(() => import('./views/ConsentView.js'));

/** The countdown under the code (`showCountdown`). */
export const countdown = /* @__PURE__ */ lazyPart(() => import('./views/Countdown.js'));

/** The in-app browser check, run on phones in link mode (its hint's text is in `laterText`). */
export const inAppBrowser = /* @__PURE__ */ lazyPart(() => import('./detectInAppBrowser.js'));

/**
 * "Can't scan? Send the link to your phone" under the code (its text is in `laterText`), and the check
 * of the channels the backend lists: loaded with a code whose session has `sendUrl`, as the countdown
 * is with its code. It opens the form, a part of its own (sendLink/sendLinkFormPart.ts), when a person
 * asks for it.
 */
export const sendLinkOffer = /* @__PURE__ */ lazyPart(() => import('./sendLink/SendLinkOffer.js'));
