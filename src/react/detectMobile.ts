export interface NavigatorLike {
  userAgent?: string;
  maxTouchPoints?: number;
  userAgentData?: { mobile?: boolean };
}

const MOBILE_UA = /Android|iPhone|iPod|iPad|Mobile|Windows Phone|IEMobile|BlackBerry|BB10|Opera Mini|webOS|Silk|Kindle/i;

/**
 * Whether this browser is a phone or tablet, where the H5 page should open in place instead of as a
 * QR code. User-Agent Client Hints first, then the User-Agent, then iPadOS (which claims to be a Mac
 * but has a touch screen). Call only after mount: it reads `navigator`.
 */
export function detectMobile(nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator): boolean {
  const ua = nav?.userAgent ?? '';
  return nav?.userAgentData?.mobile === true || MOBILE_UA.test(ua) || (/Macintosh/.test(ua) && (nav?.maxTouchPoints ?? 0) > 1);
}
