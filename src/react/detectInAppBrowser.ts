import type { NavigatorLike } from './detectMobile.js';

// Also a lazily loaded part of the component (lazyParts.ts): only a phone in link mode runs it.

const IN_APP_BROWSER =
  /MicroMessenger|WeChat|\bQQ\/|MQQBrowser.*\bQQ|Weibo|DingTalk|AlipayClient|Lark\/|Feishu|FBAN|FBAV|Instagram|\bLine\/|BytedanceWebview|musical_ly|TikTok|Snapchat|Twitter|LinkedInApp/i;

/**
 * Whether this is an app's embedded browser (WeChat, QQ, Weibo, DingTalk, Facebook, Instagram, LINE,
 * TikTok…), where camera access often fails. Call only after mount.
 */
export function detectInAppBrowser(nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator): boolean {
  return IN_APP_BROWSER.test(nav?.userAgent ?? '');
}
