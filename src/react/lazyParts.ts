import { lazyPart } from './lazyPart.js';

// The component's lazily loaded parts, one chunk each in an app's build. Each is loaded as soon as the
// component's state makes it likely (LivenessSession.tsx, `preload`), and rendered without suspending
// once it is there (lazyPart.ts). See CONTRIBUTING.md, "a lazily loaded view".

/** The QR encoder (qrcode.react, ~6 kB gzip): never downloaded by a phone in link mode. */
export const qrCodeImage = /* @__PURE__ */ lazyPart(() => import('./views/QrCodeImage.js'));
