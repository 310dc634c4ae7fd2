interface NavigatorLike {
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

const IN_APP_BROWSER = /MicroMessenger|WeChat|\bQQ\/|MQQBrowser.*\bQQ|Weibo|DingTalk|AlipayClient|Lark\/|Feishu|FBAN|FBAV|Instagram|\bLine\/|BytedanceWebview|musical_ly|TikTok|Snapchat|Twitter|LinkedInApp/i;

/**
 * Whether this is an app's embedded browser (WeChat, QQ, Weibo, DingTalk, Facebook, Instagram, LINE,
 * TikTok…), where camera access often fails. Call only after mount.
 */
export function detectInAppBrowser(nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator): boolean {
  return IN_APP_BROWSER.test(nav?.userAgent ?? '');
}
