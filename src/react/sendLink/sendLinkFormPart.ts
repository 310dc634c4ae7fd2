import { lazyPart } from '../lazyPart.js';

/**
 * The send-link form behind "Can't scan?" (its checks and its English): a lazily loaded part that the
 * offer, itself one (lazyParts.ts), opens when a person asks for it. Declared beside the offer rather
 * than in lazyParts.ts, which imports the offer: no import circle.
 */
export const sendLinkForm = /* @__PURE__ */ lazyPart(() => import('./SendLinkForm.js'));
