import type { CreateDevice, WireLocale } from '../../core/wire/protocol.js';

/**
 * What a phone is told: after the H5 page sent it back (the session's outcome, or `neutral` when the
 * request did not carry the session's token and so may learn nothing), or when the QR code's short
 * link was already opened on another phone (`opened_elsewhere`).
 */
export type CallbackPageKind = 'verified' | 'failed' | 'pending' | 'expired' | 'unknown' | 'neutral' | 'opened_elsewhere';

/** The kinds whose words depend on where the person started; the others name no device. */
type PlacedKind = 'verified' | 'failed' | 'pending' | 'expired' | 'opened_elsewhere';

interface PageText {
  title: string;
  heading: Record<CallbackPageKind, string>;
  /** For someone who started on a computer (a phone that scanned its QR code), and for the kinds that name no device. */
  body: Record<CallbackPageKind, string>;
  /** For someone who started on this phone (DESIGN rule 10: never "go back to your computer" to them). */
  bodyOnPhone: Record<PlacedKind, string>;
}

const TEXT: Record<'en' | 'zh' | 'zh-Hant', PageText> = {
  en: {
    title: 'Verification',
    heading: {
      verified: 'Verification complete',
      failed: 'Verification not completed',
      pending: 'Verification received',
      expired: 'This verification has ended',
      unknown: 'This verification link is not active',
      neutral: 'Continue where you started',
      opened_elsewhere: 'This code was already opened on another phone',
    },
    body: {
      verified: 'You can go back to your computer.',
      failed: 'You can go back to your computer and start again there.',
      pending: 'You can go back to your computer; the result will appear there.',
      expired: 'You can go back to your computer and start again there.',
      unknown: 'You can go back to the page where you started and start again there.',
      neutral: 'You can go back to the device where you started the verification.',
      opened_elsewhere: 'For your safety a code works on one phone only. Go back to your computer and start again there for a new code.',
    },
    bodyOnPhone: {
      verified: 'You can go back to the page where you started.',
      failed: 'You can go back to the page where you started and try again there.',
      pending: 'You can go back to the page where you started; the result will appear there.',
      expired: 'You can go back to the page where you started and start again there.',
      opened_elsewhere: 'For your safety a code works on one phone only. Go back to the page where you started and start again there for a new code.',
    },
  },
  zh: {
    title: '身份验证',
    heading: {
      verified: '验证完成',
      failed: '验证未通过',
      pending: '已收到验证',
      expired: '本次验证已结束',
      unknown: '此验证链接无效',
      neutral: '请回到开始验证的地方继续',
      opened_elsewhere: '此二维码已在另一部手机上打开',
    },
    body: {
      verified: '您可以回到电脑继续操作。',
      failed: '请回到电脑重新开始验证。',
      pending: '您可以回到电脑，结果将显示在电脑上。',
      expired: '请回到电脑重新开始验证。',
      unknown: '请回到开始验证的页面重新开始。',
      neutral: '您可以回到开始验证的设备继续操作。',
      opened_elsewhere: '为了您的安全，每个二维码只能在一部手机上使用。请回到电脑重新开始，获取新的二维码。',
    },
    bodyOnPhone: {
      verified: '您可以回到开始验证的页面继续操作。',
      failed: '请回到开始验证的页面重新尝试。',
      pending: '您可以回到开始验证的页面，结果将显示在那里。',
      expired: '请回到开始验证的页面重新开始。',
      opened_elsewhere: '为了您的安全，每个二维码只能在一部手机上使用。请回到开始验证的页面重新开始，获取新的二维码。',
    },
  },
  'zh-Hant': {
    title: '身分驗證',
    heading: {
      verified: '驗證完成',
      failed: '驗證未通過',
      pending: '已收到驗證',
      expired: '本次驗證已結束',
      unknown: '此驗證連結無效',
      neutral: '請回到開始驗證的地方繼續',
      opened_elsewhere: '此 QR 碼已在另一支手機上開啟',
    },
    body: {
      verified: '您可以回到電腦繼續操作。',
      failed: '請回到電腦重新開始驗證。',
      pending: '您可以回到電腦，結果將顯示在電腦上。',
      expired: '請回到電腦重新開始驗證。',
      unknown: '請回到開始驗證的頁面重新開始。',
      neutral: '您可以回到開始驗證的裝置繼續操作。',
      opened_elsewhere: '為了您的安全，每個 QR 碼只能在一支手機上使用。請回到電腦重新開始，取得新的 QR 碼。',
    },
    bodyOnPhone: {
      verified: '您可以回到開始驗證的頁面繼續操作。',
      failed: '請回到開始驗證的頁面重新嘗試。',
      pending: '您可以回到開始驗證的頁面，結果將顯示在那裡。',
      expired: '請回到開始驗證的頁面重新開始。',
      opened_elsewhere: '為了您的安全，每個 QR 碼只能在一支手機上使用。請回到開始驗證的頁面重新開始，取得新的 QR 碼。',
    },
  },
};

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Headers of the page. Nothing on it needs script or framing, and its only image is its own empty
 * icon; `no-referrer` matters because the URL that led here carries the byted token in its query.
 */
export const CALLBACK_PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  // img-src data: the page names an empty `data:` icon. Without one, browsers ask for the origin's
  // /favicon.ico (Firefox reports a violation when the policy forbids it; Chromium logs the app's 404).
  'Content-Security-Policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

// Locale for a phone whose session is unknown: the same rule as a create request without `locale`.
export { localeFromAcceptLanguage } from '../http/acceptLanguage.js';

/**
 * The small static page a phone sees (the callback's, or the short link's when it refuses).
 * `startedOn`: the device the session was created on, when known; `mobile` words every page for
 * someone who started on this phone.
 */
export function callbackPage(kind: CallbackPageKind, locale: WireLocale | undefined, startedOn?: CreateDevice): string {
  const lang = locale ?? 'en';
  const text = TEXT[lang];
  const body = startedOn === 'mobile' && kind in text.bodyOnPhone ? text.bodyOnPhone[kind as PlacedKind] : text.body[kind];
  const ok = kind === 'verified';
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(text.title)}</title>
<style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f7f9;color:#1b1f24}
main{max-width:28rem;margin:1.5rem;padding:2rem 1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08);text-align:center}
.mark{font-size:2.5rem;line-height:1;color:${ok ? '#1a7f37' : '#59636e'}}
h1{font-size:1.35rem;margin:.75rem 0 .5rem}
p{margin:0;font-size:1.05rem;line-height:1.5}
</style>
</head>
<body>
<main data-liveness-callback="${escapeHtml(kind)}">
<div class="mark" aria-hidden="true">${ok ? '&#10003;' : '&#8592;'}</div>
<h1>${escapeHtml(text.heading[kind])}</h1>
<p>${escapeHtml(body)}</p>
</main>
</body>
</html>
`;
}
